/* qsort (introspective quicksort: median of three, insertion sort for
 * short runs, heapsort when recursion gets too deep) and bsearch. Pure. */
#include <stddef.h>
#include <stdlib.h>

typedef int (*cmp_fn)(const void *, const void *);

static void swap_bytes(char *a, char *b, size_t size)
{
	while (size--) {
		char t = *a;
		*a++ = *b;
		*b++ = t;
	}
}

static void insertion_sort(char *base, size_t n, size_t size, cmp_fn cmp)
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && cmp(base + (j - 1) * size, base + j * size) > 0; j--)
			swap_bytes(base + (j - 1) * size, base + j * size, size);
}

static void sift_down(char *base, size_t root, size_t n, size_t size, cmp_fn cmp)
{
	for (;;) {
		size_t child = 2 * root + 1;
		if (child >= n)
			return;
		if (child + 1 < n && cmp(base + child * size, base + (child + 1) * size) < 0)
			child++;
		if (cmp(base + root * size, base + child * size) >= 0)
			return;
		swap_bytes(base + root * size, base + child * size, size);
		root = child;
	}
}

static void heap_sort(char *base, size_t n, size_t size, cmp_fn cmp)
{
	for (size_t i = n / 2; i-- > 0;)
		sift_down(base, i, n, size, cmp);
	for (size_t end = n; end-- > 1;) {
		swap_bytes(base, base + end * size, size);
		sift_down(base, 0, end, size, cmp);
	}
}

static void sort(char *base, size_t n, size_t size, cmp_fn cmp, int depth)
{
	while (n > 12) {
		if (depth-- == 0) {
			heap_sort(base, n, size, cmp);
			return;
		}
		char *lo = base, *mid = base + (n / 2) * size, *hi = base + (n - 1) * size;
		if (cmp(mid, lo) < 0)
			swap_bytes(mid, lo, size);
		if (cmp(hi, mid) < 0) {
			swap_bytes(hi, mid, size);
			if (cmp(mid, lo) < 0)
				swap_bytes(mid, lo, size);
		}
		/* the pivot goes to slot 0; Hoare partition of the rest */
		swap_bytes(base, mid, size);
		size_t i = 0, j = n;
		for (;;) {
			do i++; while (i < n && cmp(base + i * size, base) < 0);
			do j--; while (cmp(base + j * size, base) > 0);
			if (i >= j)
				break;
			swap_bytes(base + i * size, base + j * size, size);
		}
		swap_bytes(base, base + j * size, size);
		/* recurse into the smaller side, loop on the larger */
		size_t left = j, right = n - j - 1;
		if (left < right) {
			sort(base, left, size, cmp, depth);
			base += (j + 1) * size;
			n = right;
		} else {
			sort(base + (j + 1) * size, right, size, cmp, depth);
			n = left;
		}
	}
	insertion_sort(base, n, size, cmp);
}

void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	int depth = 0;

	for (size_t m = n; m; m >>= 1)
		depth += 2;
	if (n > 1 && size)
		sort(base, n, size, cmp, depth);
}

void *bsearch(const void *key, const void *base, size_t n, size_t size,
	      int (*cmp)(const void *, const void *))
{
	const char *b = base;

	while (n) {
		const char *mid = b + (n / 2) * size;
		int c = cmp(key, mid);
		if (c == 0)
			return (void *)mid;
		if (c > 0) {
			b = mid + size;
			n -= n / 2 + 1;
		} else {
			n /= 2;
		}
	}
	return NULL;
}
