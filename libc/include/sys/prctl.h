/* sys/prctl.h (Linux): prctl, with the options this kernel knows
 * (include/uapi/prctl.h: the process name, W^X, the audit trail). */
#ifndef _SYS_PRCTL_H
#define _SYS_PRCTL_H
#include "../../../include/uapi/prctl.h"
int prctl(int option, ...);
#endif
