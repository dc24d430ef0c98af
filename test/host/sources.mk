# Pure sources compiled into the host test binary (one line each).
HOST_SRCS += kernel/fmt.c
HOST_SRCS += kernel/multiboot.c
HOST_SRCS += kernel/ksyms.c
HOST_SRCS += mm/buddy.c
HOST_SRCS += kernel/cmdline.c
HOST_SRCS += kernel/acpi_tables.c
HOST_SRCS += kernel/vt.c
HOST_SRCS += kernel/psf.c
HOST_SRCS += mm/slab_core.c
HOST_SRCS += fs/path.c
HOST_SRCS += proc/elf.c
HOST_SRCS += proc/script.c
HOST_SRCS += fs/ustar.c
HOST_SRCS += mm/vma.c
HOST_SRCS += proc/exec_stack.c
HOST_SRCS += fs/ldisc.c
HOST_SRCS += kernel/rtc_time.c
