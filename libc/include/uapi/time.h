/* Lets the kernel's uapi headers find <uapi/time.h> when a program is
 * built against libc/include alone. */
#ifndef LIBC_UAPI_TIME_FWD_H
#define LIBC_UAPI_TIME_FWD_H
#include "../../../include/uapi/time.h"
#endif
