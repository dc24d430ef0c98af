# The whole build. Every output goes under $(BUILD)/.
#   make / make iso     kernel, initrd and the hybrid BIOS+UEFI ISO
#   make run            boot it in QEMU, serial console on this terminal
#   make run-uefi       the same under OVMF
#   make bochs          boot it in Bochs (headless; COM1 on the terminal)
#   make debug          QEMU waiting for gdb ($(BUILD)/gdbinit loads symbols)
#   make test           host unit tests, then every boot path; ends "N passed, N failed"
#   make bench          cycles per memory operation, ours against Debian's Linux (test/bench/)
#   make fuzz           the test boot with a long system-call fuzz run (SEED=n CALLS=m)
#   make clean
# Variables: MEM CPU SMP OVERLAY CMDLINE CROSS BUILD

SHELL    := /bin/bash
BUILD    ?= build
MEM      ?= 512M
CPU      ?=
SMP      ?= 1
OVERLAY  ?=
CMDLINE  ?=
CROSS    ?=

# A cross compiler when CROSS names one that exists, the host's otherwise.
CC       := $(if $(CROSS),$(if $(shell command -v $(CROSS)gcc),$(CROSS)gcc,gcc),gcc)
LD       := $(if $(CROSS),$(if $(shell command -v $(CROSS)ld),$(CROSS)ld,ld),ld)
NM       := $(if $(CROSS),$(if $(shell command -v $(CROSS)nm),$(CROSS)nm,nm),nm)
NASM     := nasm
HOSTCC   := gcc

KCFLAGS  := -std=gnu11 -O2 -g -Wall -Wextra -Werror \
            -ffreestanding -fno-pic -fno-pie \
            -fstack-protector-strong -mstack-protector-guard=global \
            -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
            -mcmodel=kernel -mno-red-zone -mgeneral-regs-only \
            -mno-mmx -mno-sse -mno-sse2 -mno-80387 \
            -fno-asynchronous-unwind-tables -fno-strict-aliasing \
            -Iinclude -MMD -MP
KLDFLAGS := -nostdlib -static -z max-page-size=0x1000 -z noexecstack \
            --no-warn-rwx-segments -T kernel/kernel.ld
NASMFLAGS := -f elf64 -g -F dwarf -Iinclude/

KDIRS    := boot kernel mm proc fs ipc
KSRC_C   := $(foreach d,$(KDIRS),$(wildcard $(d)/*.c))
KSRC_ASM := $(foreach d,$(KDIRS),$(wildcard $(d)/*.asm))
KOBJ     := $(KSRC_C:%.c=$(BUILD)/obj/%.o) $(KSRC_ASM:%.asm=$(BUILD)/obj/%.asm.o)

KERNEL   := $(BUILD)/kernel.elf
INITRD   := $(BUILD)/initrd.tar
ISO      := $(BUILD)/os.iso
TEST_ISO := $(BUILD)/test.iso

QEMU     := qemu-system-x86_64
QEMUFLAGS = -m $(MEM) -smp $(SMP) $(if $(CPU),-cpu $(CPU)) -no-reboot \
            -device isa-debug-exit,iobase=0xf4,iosize=0x04
OVMF     := /usr/share/ovmf/OVMF.fd

# A recipe that fails must not leave a half-written target behind.
.DELETE_ON_ERROR:

.PHONY: all iso run run-uefi bochs debug test host-test guest-test guest-test-images deps clean bench fuzz
all: iso
iso: $(ISO)

# ---- kernel ---------------------------------------------------------------

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -c $< -o $@

$(BUILD)/obj/%.asm.o: %.asm
	@mkdir -p $(dir $@)
	$(NASM) $(NASMFLAGS) -M -MT $@ -MF $(@:.o=.d) -MP $<
	$(NASM) $(NASMFLAGS) $< -o $@

# Two links: the first with an empty symbol table, the second with the
# table made from the first. .ksyms lies after all code (kernel.ld), so
# no function moves between the two.
$(BUILD)/ksyms0.o: test/tools/ksyms.sh
	@mkdir -p $(BUILD)
	sh test/tools/ksyms.sh /dev/null > $(BUILD)/ksyms0.S
	$(CC) -c $(BUILD)/ksyms0.S -o $@

$(BUILD)/kernel.pass1.elf: $(KOBJ) $(BUILD)/ksyms0.o kernel/kernel.ld
	$(LD) $(KLDFLAGS) -o $@ $(KOBJ) $(BUILD)/ksyms0.o

$(KERNEL): $(BUILD)/kernel.pass1.elf
	$(NM) -n $< | sh test/tools/ksyms.sh - > $(BUILD)/ksyms.S
	$(CC) -c $(BUILD)/ksyms.S -o $(BUILD)/ksyms.o
	$(LD) $(KLDFLAGS) -o $@ $(KOBJ) $(BUILD)/ksyms.o
	@$(NM) -n $@ | grep -i ' t ' | cmp -s - <($(NM) -n $< | grep -i ' t ') \
		|| { echo "ksyms: functions moved between links"; exit 1; }

# ---- font (screen console) ----
# The console font is not kept in the tree: it is taken from Debian's
# console-setup-linux at build time, gunzipped, and pulled into the kernel
# by kernel/font.asm with incbin (found through NASM's include path).
FONT_GZ := /usr/share/consolefonts/Lat15-Terminus16.psf.gz

$(BUILD)/font.psf: $(FONT_GZ)
	@mkdir -p $(dir $@)
	gzip -dc $< > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/kernel/font.asm.o: $(BUILD)/font.psf
$(BUILD)/obj/kernel/font.asm.o: NASMFLAGS += -I$(BUILD)/

# ---- initrd and ISO -------------------------------------------------------

# The initrd root: whatever exists to put in it, plus OVERLAY on top.
$(INITRD): $(KERNEL) FORCE
	@rm -rf $(BUILD)/initrd && mkdir -p $(BUILD)/initrd/etc
	cp -a etc/. $(BUILD)/initrd/etc/
	$(if $(USER_BINS),mkdir -p $(BUILD)/initrd/bin && cp $(USER_BINS) $(BUILD)/initrd/bin/)
	$(if $(ULIBC_BINS),mkdir -p $(BUILD)/initrd/bin && cp $(ULIBC_BINS) $(BUILD)/initrd/bin/)
	$(if $(PROG_BINS),mkdir -p $(BUILD)/initrd/bin && cp $(PROG_BINS) $(BUILD)/initrd/bin/)
	$(if $(SHELL_BINS),mkdir -p $(BUILD)/initrd/bin && cp $(SHELL_BINS) $(BUILD)/initrd/bin/)
	cp $(BUILD)/user/compat.expected $(BUILD)/initrd/etc/
	$(if $(OVERLAY),cp -a $(OVERLAY)/. $(BUILD)/initrd/)
	tar --format=ustar --owner=0 --group=0 -cf $@.tmp -C $(BUILD)/initrd .
	@cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@

# $(1): ISO path, $(2): staging dir, $(3): sed script for grub.cfg
define make_iso
	@rm -rf $(2) && mkdir -p $(2)/boot/grub
	cp $(KERNEL) $(2)/boot/kernel.elf
	cp $(INITRD) $(2)/boot/initrd.tar
	sed -e 's|@CMDLINE@|$(CMDLINE)|' $(3) grub.cfg > $(2)/boot/grub/grub.cfg
	grub-mkrescue -o $(1) $(2) 2>$(BUILD)/grub-mkrescue.log \
		|| { cat $(BUILD)/grub-mkrescue.log; exit 1; }
endef

$(ISO): $(KERNEL) $(INITRD) grub.cfg
	$(call make_iso,$@,$(BUILD)/iso,)

# The test image boots the test entry at once.
$(TEST_ISO): $(KERNEL) $(INITRD) grub.cfg
	$(call make_iso,$@,$(BUILD)/iso-test,-e 's|^set default=.*|set default=1|' -e 's|^set timeout=.*|set timeout=0|')

# The same suite with "quick" on the command line: the guest tests that
# fill memory or run long (oomtest, the fuzzer...) skip themselves. The
# boots other than plain BIOS use it.
$(BUILD)/test-quick.iso: $(KERNEL) $(INITRD) grub.cfg
	$(call make_iso,$@,$(BUILD)/iso-test-quick,-e 's|^set default=.*|set default=1|' -e 's|^set timeout=.*|set timeout=0|' -e 's|kernel.elf test|kernel.elf test quick|')

# Images whose test entry crashes the kernel on purpose (crash=KIND), so
# the harness can check that faults are reported and end the run.
$(BUILD)/crash-%.iso: $(KERNEL) $(INITRD) grub.cfg
	$(call make_iso,$@,$(BUILD)/iso-crash-$*,-e 's|^set default=.*|set default=1|' -e 's|^set timeout=.*|set timeout=0|' -e 's|kernel.elf test|kernel.elf test crash=$*|')

CRASH_KINDS := pagefault ud gp divide stack canary panic

FORCE:

# ---- user programs (musl) ----
# Every test/guest/*.c is a static Linux program built with Debian's
# musl-gcc, unmodified, into $(BUILD)/user/ and the initrd's /bin (the
# INITRD recipe copies USER_BINS). The kernel's test entry runs those
# named *test and counts their PASS/FAIL lines (proc/exec.c); init-hello.iso
# boots /bin/hello as init, for boot-tests.sh.
MUSLCC      := musl-gcc
USER_CFLAGS := -static -O2 -Wall -Wextra -Werror
USER_BINS   := $(patsubst test/guest/%.c,$(BUILD)/user/%,$(wildcard test/guest/*.c))

$(USER_BINS): test/guest/guest.h
$(BUILD)/user/%: test/guest/%.c
	@mkdir -p $(dir $@)
	$(MUSLCC) $(USER_CFLAGS) -o $@ $<

$(INITRD): $(USER_BINS) $(BUILD)/user/compat.expected

# What /bin/compat prints on Linux (this machine), for compattest to
# compare with what it prints on our kernel, run the same way.
$(BUILD)/user/compat.expected: $(BUILD)/user/compat
	env -i COMPAT_VAR=hello $< one "two words" > $@; test $$? -eq 3

$(BUILD)/init-hello.iso: $(KERNEL) $(INITRD) grub.cfg
	$(call make_iso,$@,$(BUILD)/iso-init-hello,-e 's|kernel.elf|kernel.elf init=/bin/hello|')

guest-test-images: $(BUILD)/init-hello.iso

# ---- libc ----
# The small C library (libc/): $(BUILD)/libc/libc.a and crt0.o, built
# with the kernel's gcc, never musl. Programs use these:
#   ULIBC_CFLAGS  compile flags: our headers only (-nostdinc -isystem
#                 libc/include), -O2 -Wall -Wextra -Werror, no PIE, no
#                 stack protector
#   ULIBC_LINK    link pieces, to put around the objects:
#                 $(CC) $(ULIBC_LDFLAGS) -o prog $(ULIBC_CRT0) objs... $(ULIBC_LIBS)
#                 (ULIBC_LINK is all of those except the objects, for
#                 one-line use: $(CC) $(ULIBC_LINK_PRE) objs $(ULIBC_LINK_POST))
#   $(call ulibc_prog,OUT,SRCS)  one rule line building OUT from SRCS
#   ULIBC_DEPS    what a program must be rebuilt after (libc.a, crt0.o)
#   ULIBC_BINS    libc-built programs copied into the initrd's /bin
ULIBC_DIR     := $(BUILD)/libc
ULIBC_CFLAGS  := -std=gnu11 -O2 -Wall -Wextra -Werror -nostdinc -isystem libc/include \
                 -fno-pie -fno-pic -fno-stack-protector \
                 -fno-asynchronous-unwind-tables -fno-strict-aliasing -MMD -MP
ULIBC_LIBCFLAGS := $(ULIBC_CFLAGS) -ffreestanding -fno-builtin -fno-tree-loop-distribute-patterns
ULIBC_CRT0    := $(ULIBC_DIR)/crt0.o
ULIBC_A       := $(ULIBC_DIR)/libc.a
ULIBC_LDFLAGS := -nostdlib -static -no-pie -Wl,-z,noexecstack -Wl,--build-id=none
ULIBC_LIBS    := $(ULIBC_A) -lgcc
ULIBC_LINK_PRE  := $(ULIBC_LDFLAGS) $(ULIBC_CRT0)
ULIBC_LINK_POST := $(ULIBC_LIBS)
ULIBC_LINK    := $(ULIBC_LDFLAGS) $(ULIBC_CRT0) $(ULIBC_LIBS)
ULIBC_DEPS    := $(ULIBC_CRT0) $(ULIBC_A)
ULIBC_SRC     := $(wildcard libc/src/*.c)
ULIBC_ASM     := $(filter-out libc/arch/x86_64/crt0.S,$(wildcard libc/arch/x86_64/*.S))
ULIBC_OBJ     := $(ULIBC_SRC:libc/src/%.c=$(ULIBC_DIR)/obj/%.o) \
                 $(ULIBC_ASM:libc/arch/x86_64/%.S=$(ULIBC_DIR)/obj/%.S.o)

# $(1): output program, $(2): its C sources
define ulibc_prog
	@mkdir -p $(dir $(1))
	$(CC) $(ULIBC_CFLAGS) $(ULIBC_LDFLAGS) -o $(1) $(ULIBC_CRT0) $(2) $(ULIBC_LIBS)
endef

$(ULIBC_DIR)/obj/%.o: libc/src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ULIBC_LIBCFLAGS) -c $< -o $@

$(ULIBC_DIR)/obj/%.S.o: libc/arch/x86_64/%.S
	@mkdir -p $(dir $@)
	$(CC) -c $< -o $@

$(ULIBC_CRT0): libc/arch/x86_64/crt0.S
	@mkdir -p $(dir $@)
	$(CC) -c $< -o $@

$(ULIBC_A): $(ULIBC_OBJ)
	@rm -f $@
	ar rcs $@ $^

# libc's own in-guest test, run by the test boot as /bin/libctest.
ULIBC_BINS := $(BUILD)/libc/libctest
$(BUILD)/libc/libctest: libc/test/libctest.c $(ULIBC_DEPS)
	$(call ulibc_prog,$@,$<)

$(INITRD): $(ULIBC_BINS)

-include $(ULIBC_OBJ:.o=.d)

# ---- programs ----
# The user programs bin/<prog>.c (all but init and sh, one file each) and
# their test, bin/tests/progtest.c, built against our libc into
# $(BUILD)/bin/ and the initrd's /bin (the INITRD recipe copies PROG_BINS;
# etc/ goes to /etc).
PROG_NAMES  := $(filter-out init,$(patsubst bin/%.c,%,$(wildcard bin/*.c)))
PROG_BINS   := $(PROG_NAMES:%=$(BUILD)/bin/%) $(BUILD)/bin/progtest

$(PROG_NAMES:%=$(BUILD)/bin/%): $(BUILD)/bin/%: bin/%.c $(ULIBC_DEPS)
	$(call ulibc_prog,$@,$<)

$(BUILD)/bin/producer $(BUILD)/bin/consumer: bin/shmdemo.h

$(BUILD)/bin/progtest: bin/tests/progtest.c $(ULIBC_DEPS)
	$(call ulibc_prog,$@,$<)

$(INITRD): $(PROG_BINS) $(wildcard etc/*)

# ---- shell and init ----
# bin/sh/*.c into $(BUILD)/bin/sh, bin/init.c into $(BUILD)/bin/init, both
# against our libc, and the shell's guest test script bin/sh/shtest.sh as
# /bin/shtest (a #!/bin/sh file the kernel's test runner runs). The INITRD
# recipe copies SHELL_BINS into /bin.
SH_SRCS     := $(wildcard bin/sh/*.c)
SHELL_BINS  := $(BUILD)/bin/sh $(BUILD)/bin/init $(BUILD)/bin/shtest

$(BUILD)/bin/sh: $(SH_SRCS) $(wildcard bin/sh/*.h) $(ULIBC_DEPS)
	$(call ulibc_prog,$@,$(SH_SRCS))

$(BUILD)/bin/init: bin/init.c $(ULIBC_DEPS)
	$(call ulibc_prog,$@,$<)

$(BUILD)/bin/shtest: bin/sh/shtest.sh
	@mkdir -p $(dir $@)
	cp $< $@ && chmod 755 $@

$(INITRD): $(SHELL_BINS)

# ---- running --------------------------------------------------------------

deps:
	@sh test/tools/deps.sh

run: deps iso
	$(QEMU) $(QEMUFLAGS) -cdrom $(ISO) -display none -serial mon:stdio

run-uefi: deps iso
	$(QEMU) $(QEMUFLAGS) -bios $(OVMF) -cdrom $(ISO) -display none -serial mon:stdio

bochs: deps iso
	sh test/tools/bochs.sh $(ISO) tty

debug: deps iso
	@printf 'file %s\ntarget remote :1234\n' $(abspath $(KERNEL)) > $(BUILD)/gdbinit
	@echo "QEMU waits for gdb: in another terminal run  gdb -x $(BUILD)/gdbinit"
	$(QEMU) $(QEMUFLAGS) -cdrom $(ISO) -display none -serial mon:stdio -s -S

# ---- tests ----------------------------------------------------------------

include test/host/sources.mk
HOST_TESTS := $(wildcard test/host/test_*.c)
HOSTCFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Iinclude -Itest/host \
              -fsanitize=address,undefined -fno-sanitize-recover=all -DHOST_TEST

$(BUILD)/host/tests: $(HOST_TESTS) $(HOST_SRCS) test/host/main.c test/host/test.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTCFLAGS) -o $@ test/host/main.c $(HOST_TESTS) $(HOST_SRCS)

host-test: $(BUILD)/host/tests
	$(BUILD)/host/tests

guest-test-images: $(ISO) $(TEST_ISO) $(BUILD)/test-quick.iso $(CRASH_KINDS:%=$(BUILD)/crash-%.iso)

guest-test: deps guest-test-images
	bash test/tools/boot-tests.sh $(BUILD)

test: deps
	@bash test/tools/run-tests.sh $(MAKE) BUILD=$(BUILD)

# ---- fuzz -----------------------------------------------------------------
# The test boot with fuzz_seed=SEED fuzz_calls=CALLS on the command line:
# test/guest/fuzztest.c makes that many random system calls, then the
# suite's leak check runs as always. The guest names each slice of calls
# on the console as it starts; a panic or hang in slice K replays alone,
# each call printed first, with CMDLINE="fuzz_slice=K fuzz_trace".
# The serial log is $(BUILD)/logs/fuzz.log.
SEED  ?= 1
CALLS ?= 1000000

$(BUILD)/fuzz.iso: $(KERNEL) $(INITRD) grub.cfg FORCE
	$(call make_iso,$@,$(BUILD)/iso-fuzz,-e 's|^set default=.*|set default=1|' -e 's|^set timeout=.*|set timeout=0|' -e 's|kernel.elf test|kernel.elf test fuzz_seed=$(SEED) fuzz_calls=$(CALLS)|')

fuzz: deps $(BUILD)/fuzz.iso
	@mkdir -p $(BUILD)/logs
	@timeout $$((300 + $(CALLS) / 4000)) $(QEMU) $(QEMUFLAGS) -display none \
		-serial file:$(BUILD)/logs/fuzz.raw -cdrom $(BUILD)/fuzz.iso >/dev/null 2>&1; \
	tr -d '\r' < $(BUILD)/logs/fuzz.raw > $(BUILD)/logs/fuzz.log; \
	grep -E '^(FAIL|PASS) guest/fuzz|^FAIL|^fuzztest:|KERNEL PANIC|^[0-9]+ passed' $(BUILD)/logs/fuzz.log; \
	if grep -qE '^[0-9]+ passed, 0 failed' $(BUILD)/logs/fuzz.log && \
	   ! grep -q 'KERNEL PANIC' $(BUILD)/logs/fuzz.log; then echo "fuzz: seed $(SEED) passed"; \
	else grep '^fuzz: slice' $(BUILD)/logs/fuzz.log | tail -n 4; \
	     echo "fuzz: seed $(SEED) FAILED, log in $(BUILD)/logs/fuzz.log"; exit 1; fi

# ---- bench ----------------------------------------------------------------
# test/bench/bench.c (musl, static) booted as init on our kernel
# (bench-<mode>.iso: the initrd plus /bin/bench, bench=<mode> on the
# command line, no menu wait) and on Debian's Linux (its vmlinuz, fetched
# once, with an initramfs whose /init is the same binary), under the same
# QEMU. run-bench.sh does the boots, prints the table and writes
# $(BUILD)/bench/results.txt and bench.svg. BENCH_BOOTS=n boots per column.
BENCH_DIR := $(BUILD)/bench

$(BENCH_DIR)/bench: test/bench/bench.c
	@mkdir -p $(dir $@)
	$(MUSLCC) $(USER_CFLAGS) -o $@ $<

$(BENCH_DIR)/initrd.tar: $(INITRD) $(BENCH_DIR)/bench
	@rm -rf $(BENCH_DIR)/root && mkdir -p $(BENCH_DIR)/root/bin
	cp $(BENCH_DIR)/bench $(BENCH_DIR)/root/bin/bench
	ln -s bench $(BENCH_DIR)/root/bin/bench-ops && ln -s bench $(BENCH_DIR)/root/bin/bench-extras
	cp $(INITRD) $@.tmp
	tar --format=ustar --owner=0 --group=0 -rf $@.tmp -C $(BENCH_DIR)/root ./bin/bench ./bin/bench-ops ./bin/bench-extras
	mv $@.tmp $@

$(BENCH_DIR)/bench-%.iso: $(KERNEL) $(BENCH_DIR)/initrd.tar grub.cfg
	@rm -rf $(BENCH_DIR)/iso-$* && mkdir -p $(BENCH_DIR)/iso-$*/boot/grub
	cp $(KERNEL) $(BENCH_DIR)/iso-$*/boot/kernel.elf
	cp $(BENCH_DIR)/initrd.tar $(BENCH_DIR)/iso-$*/boot/initrd.tar
	sed -e 's|@CMDLINE@|init=/bin/bench-$* console=serial bench=$* $(CMDLINE)|' \
		-e 's|^set timeout=.*|set timeout=0|' grub.cfg > $(BENCH_DIR)/iso-$*/boot/grub/grub.cfg
	grub-mkrescue -o $@ $(BENCH_DIR)/iso-$* 2>$(BENCH_DIR)/grub-mkrescue.log \
		|| { cat $(BENCH_DIR)/grub-mkrescue.log; exit 1; }

$(BENCH_DIR)/vmlinuz: test/bench/get-linux.sh
	sh test/bench/get-linux.sh $(BENCH_DIR)

$(BENCH_DIR)/initramfs.cpio.gz: $(BENCH_DIR)/bench test/bench/mkinitramfs.sh
	sh test/bench/mkinitramfs.sh $(BENCH_DIR)/bench $@

bench: deps $(ISO) $(BENCH_DIR)/bench-ops.iso $(BENCH_DIR)/bench-extras.iso \
       $(BENCH_DIR)/vmlinuz $(BENCH_DIR)/initramfs.cpio.gz
	bash test/bench/run-bench.sh $(BUILD)

clean:
	rm -rf $(BUILD)

-include $(KOBJ:.o=.d)
