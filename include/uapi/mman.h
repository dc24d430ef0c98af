/* Linux x86-64 mmap/mprotect/munmap flag values, shared by the kernel
 * (mm/mmap.c) and libc's sys/mman.h. */
#ifndef UAPI_MMAN_H
#define UAPI_MMAN_H

#define PROT_NONE		0x0
#define PROT_READ		0x1
#define PROT_WRITE		0x2
#define PROT_EXEC		0x4
#define PROT_GROWSDOWN		0x01000000
#define PROT_GROWSUP		0x02000000

#define MAP_SHARED		0x01
#define MAP_PRIVATE		0x02
#define MAP_SHARED_VALIDATE	0x03
#define MAP_TYPE		0x0f
#define MAP_FIXED		0x10
#define MAP_ANONYMOUS		0x20
#define MAP_ANON		MAP_ANONYMOUS
#define MAP_GROWSDOWN		0x0100
#define MAP_DENYWRITE		0x0800
#define MAP_EXECUTABLE		0x1000
#define MAP_LOCKED		0x2000
#define MAP_NORESERVE		0x4000
#define MAP_POPULATE		0x8000
#define MAP_NONBLOCK		0x10000
#define MAP_STACK		0x20000
#define MAP_HUGETLB		0x40000	/* no huge pages: mmap says EINVAL,
					   as Linux with none reserved */
#define MAP_SYNC		0x80000
#define MAP_FIXED_NOREPLACE	0x100000

#define MAP_FAILED		((void *)-1)

/* msync flags; on tmpfs msync only checks them (mm/filemap.c). */
#define MS_ASYNC 1
#define MS_INVALIDATE 2
#define MS_SYNC 4

#endif
