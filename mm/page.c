/* STUB: replaced by the memory work. */
#include <page.h>
void mm_init(const struct boot_info *bi) { (void)bi; }
uint64_t page_free_count(void) { return 0; }
uint64_t page_total_count(void) { return 0; }
