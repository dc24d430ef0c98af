/* free: memory in use and free, from /proc/meminfo, in KiB (default),
 * MiB (-m) or bytes (-b). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static unsigned long long total, mfree, avail, buffers, cached, shmem, sreclaim;
static unsigned long long swap_total, swap_free;

static void read_meminfo(FILE *f)
{
	char line[256];
	static const struct {
		const char *key;
		unsigned long long *value;
	} fields[] = {
		{ "MemTotal:", &total }, { "MemFree:", &mfree }, { "MemAvailable:", &avail },
		{ "Buffers:", &buffers }, { "Cached:", &cached }, { "Shmem:", &shmem },
		{ "SReclaimable:", &sreclaim }, { "SwapTotal:", &swap_total },
		{ "SwapFree:", &swap_free },
	};

	while (fgets(line, sizeof(line), f)) {
		for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
			size_t len = strlen(fields[i].key);

			if (!strncmp(line, fields[i].key, len))
				*fields[i].value = strtoull(line + len, NULL, 10);
		}
	}
}

int main(int argc, char **argv)
{
	unsigned long long cache, used;
	int c, shift = 0;
	FILE *f;

	while ((c = getopt(argc, argv, "bkm")) != -1) {
		switch (c) {
		case 'b': shift = -10; break;
		case 'k': shift = 0; break;
		case 'm': shift = 10; break;
		default:
			fprintf(stderr, "usage: free [-b|-k|-m]\n");
			return 1;
		}
	}
	f = fopen("/proc/meminfo", "r");
	if (!f) {
		fprintf(stderr, "free: /proc/meminfo: %s\n", strerror(errno));
		return 1;
	}
	read_meminfo(f);
	fclose(f);
	cache = buffers + cached + sreclaim;
	used = total - mfree - cache;
	if (total < mfree + cache)
		used = total - mfree;
#define U(v) (shift < 0 ? (v) << -shift : (v) >> shift)
	printf("%15s %11s %11s %11s %11s %11s\n", "total", "used", "free", "shared",
	       "buff/cache", "available");
	printf("%-7s %11llu %11llu %11llu %11llu %11llu %11llu\n", "Mem:", U(total), U(used),
	       U(mfree), U(shmem), U(cache), U(avail));
	printf("%-7s %11llu %11llu %11llu\n", "Swap:", U(swap_total),
	       U(swap_total - swap_free), U(swap_free));
	return 0;
}
