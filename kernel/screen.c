/* STUB: replaced by the screen-console work. */
#include <console.h>
void screen_console_init(const struct boot_info *bi) { (void)bi; }
