#!/bin/sh
# Fetch Debian's amd64 kernel once for make bench: the package that
# linux-image-amd64 depends on, with apt-get download, unpacked with
# dpkg-deb. Leaves DIR/vmlinuz, DIR/linux-config and DIR/linux-version.
#   get-linux.sh DIR
set -e
dir=$1
resolve() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		awk '/Depends: linux-image-[0-9]/ { print $2; exit }'
}
pkg=$(resolve)
if [ -z "$pkg" ]; then
	sudo=""
	[ "$(id -u)" -ne 0 ] && sudo=sudo
	echo "get-linux: linux-image-amd64 unknown to apt; running apt-get update"
	$sudo apt-get update -qq
	pkg=$(resolve)
fi
[ -n "$pkg" ] || { echo "get-linux: cannot resolve linux-image-amd64"; exit 1; }
rm -rf "$dir/linux-deb" && mkdir -p "$dir/linux-deb"
echo "get-linux: downloading $pkg"
# apt-get download writes into the current directory.
(cd "$dir/linux-deb" && apt-get download -q "$pkg" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
deb=$(ls "$dir"/linux-deb/*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || { echo "get-linux: apt-get download $pkg failed"; exit 1; }
dpkg-deb -x "$deb" "$dir/linux-deb/x"
cp "$dir"/linux-deb/x/boot/config-* "$dir/linux-config"
echo "$pkg $(dpkg-deb -f "$deb" Version)" > "$dir/linux-version"
cp "$dir"/linux-deb/x/boot/vmlinuz-* "$dir/vmlinuz.tmp"
rm -rf "$dir/linux-deb"
mv "$dir/vmlinuz.tmp" "$dir/vmlinuz"
