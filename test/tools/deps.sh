#!/bin/sh
# Install the Debian packages the build and the tests need, if any is
# missing; says what it installs. Uses sudo when not root.
set -e
need=""
have_cmd() { command -v "$1" >/dev/null 2>&1; }
have_file() { [ -e "$1" ]; }

have_cmd gcc                     || need="$need gcc"
have_cmd ld                      || need="$need binutils"
have_cmd make                    || need="$need make"
have_cmd nasm                    || need="$need nasm"
have_cmd qemu-system-x86_64      || need="$need qemu-system-x86"
have_cmd grub-mkrescue           || need="$need grub-common"
have_file /usr/lib/grub/i386-pc/multiboot2.mod || need="$need grub-pc-bin"
have_file /usr/lib/grub/x86_64-efi/multiboot2.mod || need="$need grub-efi-amd64-bin"
have_cmd xorriso                 || need="$need xorriso"
have_cmd mformat                 || need="$need mtools"
have_cmd bochs                   || need="$need bochs"
have_file /usr/share/bochs/BIOS-bochs-latest || need="$need bochsbios"
have_file /usr/share/vgabios/vgabios.bin || need="$need vgabios"
have_file /usr/share/ovmf/OVMF.fd || need="$need ovmf"
have_cmd musl-gcc                || need="$need musl-tools"
have_file /usr/share/consolefonts/Lat15-Terminus16.psf.gz || need="$need console-setup-linux"
have_cmd timeout                 || need="$need coreutils"
have_cmd cpio                    || need="$need cpio"
have_cmd gawk || have_cmd awk    || need="$need gawk"

[ -z "$need" ] && exit 0
echo "deps: installing:$need"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends $need >/dev/null
echo "deps: done"
