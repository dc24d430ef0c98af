/* STUB: replaced by the CPU-features work. */
#include <cpu.h>
struct cpu_features cpu_features;
void cpu_init(void) {}
