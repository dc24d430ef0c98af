# make bench's report: reads the samples run-bench.sh gathered and prints
# the table (median over boots per kernel and column, ratio ours/Linux),
# the bar checks and the extras; writes the plot to the file named by
# -v svg=PATH. Plain POSIX awk (mawk is enough).
# Input lines:
#   S kernel column boot op value|n/a [why...]   one op of one timed boot
#   F kernel column boot [what]                  a timed boot that did not finish
#   X kernel key value...                        extras, from the guest
#   H key kernel|all value...                    measured on the host

function median(key,    n, i, j, t, a) {
	n = cnt[key]
	if (!n)
		return ""
	for (i = 1; i <= n; i++)
		a[i] = val[key, i]
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}

function rest(from,    s, i) {
	s = $from
	for (i = from + 1; i <= NF; i++)
		s = s " " $i
	return s
}

# cell(kernel, column, op): the median, or n/a with why below the table.
function cell(k, c, op,    m) {
	m = median(k SUBSEP c SUBSEP op)
	if (m != "")
		return sprintf("%d", m + 0.5)
	if ((k, op) in why)
		return "n/a"
	return "-"
}

function ratio(c, op,    a, b) {
	a = median("ours" SUBSEP c SUBSEP op)
	b = median("linux" SUBSEP c SUBSEP op)
	if (a == "" || b == "" || b == 0)
		return ""
	return a / b
}

function fmt_ratio(r) {
	return r == "" ? "" : sprintf("%.2f", r)
}

function flat(k, c, what,    a, b) {
	a = median(k SUBSEP c SUBSEP what "_vmas_1000")
	b = median(k SUBSEP c SUBSEP what "_vmas_100000")
	if (a == "" || b == "" || a == 0)
		return "n/a"
	return sprintf("%.2fx%s", b / a, b / a <= 1.5 ? "" : " (over 1.5x)")
}

function human(v) {
	if (v >= 1e6)
		return sprintf("%.3gM", v / 1e6)
	if (v >= 1e3)
		return sprintf("%.3gk", v / 1e3)
	return sprintf("%d", v)
}

# ---- the plot ----
function lx(x) { return log(x) / log(10) }

# panel(x0, y0, title, column, kind): kind "vma" (fault and mprotect
# against the VMA count) or "res" (fork+exit+wait against resident MiB).
function panel(x0, y0, title, c, kind,    w, h, n, i, s, ns, xs, op, k, lab, col, dash,
	       ymax, v, px, py, path, xmin, xmax, tick, yv) {
	w = 380; h = 230
	if (kind == "vma") {
		n = split("1000 10000 100000", xs, " ")
		ns = 4
		split("fault_vmas_ fault_vmas_ mprotect_vmas_ mprotect_vmas_", op, " ")
		split("ours linux ours linux", k, " ")
		split("ours: fault|Linux: fault|ours: mprotect|Linux: mprotect", lab, "|")
		split("none none 6,4 6,4", dash, " ")
	} else {
		n = split("1 4 16 64", xs, " ")
		ns = 2
		split("fork_exit_wait_ fork_exit_wait_", op, " ")
		split("ours linux", k, " ")
		split("ours: fork+exit+wait|Linux: fork+exit+wait", lab, "|")
		split("none none", dash, " ")
	}
	ymax = 0
	for (s = 1; s <= ns; s++)
		for (i = 1; i <= n; i++) {
			v = median(k[s] SUBSEP c SUBSEP op[s] xs[i] (kind == "res" ? "m" : ""))
			if (v != "" && v + 0 > ymax)
				ymax = v + 0
		}
	if (ymax == 0)
		ymax = 1
	ymax *= 1.1
	xmin = lx(xs[1]) - 0.15; xmax = lx(xs[n]) + 0.15
	printf "<g transform=\"translate(%d,%d)\">\n", x0, y0 > svg
	printf "<text x=\"%d\" y=\"-12\" text-anchor=\"middle\" font-size=\"14\">%s</text>\n", w / 2, title > svg
	printf "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>\n", w, h > svg
	for (tick = 0; tick <= 4; tick++) {
		yv = ymax / 1.1 * tick / 4
		py = h - yv / ymax * h
		printf "<line x1=\"0\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", py, w, py > svg
		printf "<text x=\"-6\" y=\"%.1f\" text-anchor=\"end\" font-size=\"11\">%s</text>\n", py + 4, human(yv) > svg
	}
	for (i = 1; i <= n; i++) {
		px = (lx(xs[i]) - xmin) / (xmax - xmin) * w
		printf "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"11\">%s</text>\n", px, h + 16, xs[i] > svg
	}
	printf "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\">%s</text>\n", w / 2, h + 34,
	       kind == "vma" ? "VMAs in the address space (log scale)" : "resident MiB (log scale)" > svg
	printf "<text transform=\"translate(-52,%d) rotate(-90)\" text-anchor=\"middle\" font-size=\"12\">%s</text>\n",
	       h / 2, c == "icount" ? "guest instructions per op" : "cycles per op" > svg
	for (s = 1; s <= ns; s++) {
		col = k[s] == "ours" ? "#d62728" : "#1f77b4"
		path = ""
		for (i = 1; i <= n; i++) {
			v = median(k[s] SUBSEP c SUBSEP op[s] xs[i] (kind == "res" ? "m" : ""))
			if (v == "")
				continue
			px = (lx(xs[i]) - xmin) / (xmax - xmin) * w
			py = h - v / ymax * h
			path = path (path == "" ? "M" : " L") sprintf("%.1f %.1f", px, py)
			printf "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n", px, py, col > svg
		}
		if (path != "")
			printf "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>\n", path, col,
			       dash[s] == "none" ? "" : " stroke-dasharray=\"" dash[s] "\"" > svg
		printf "<line x1=\"10\" y1=\"%d\" x2=\"34\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>\n",
		       14 * s, 14 * s, col, dash[s] == "none" ? "" : " stroke-dasharray=\"" dash[s] "\"" > svg
		printf "<text x=\"40\" y=\"%d\" font-size=\"11\">%s</text>\n", 14 * s + 4, lab[s] > svg
	}
	printf "</g>\n" > svg
}

$1 == "S" {
	k = $2 SUBSEP $3 SUBSEP $5
	if (!($5 in seen)) {
		seen[$5] = 1
		order[++nops] = $5
	}
	if ($6 == "n/a")
		why[$2, $5] = rest(7)
	else
		val[k, ++cnt[k]] = $6
	next
}
$1 == "F" { failed[++nfailed] = $2 " " $3 " boot " $4 ": did not finish" (NF > 4 ? " (" rest(5) ")" : ""); next }
$1 == "X" { extra[$2, $3] = rest(4); next }
$1 == "H" {
	if ($2 == "init_ms" || $2 == "prompt_ms") {
		k = $3 SUBSEP "host" SUBSEP $2
		val[k, ++cnt[k]] = $4
	} else
		host[$2, $3] = rest(4)
	next
}

END {
	printf "make bench: cycles per operation, median of %s boots per column\n", host["boots", "all"]
	printf "QEMU %s, -m 1024 -cpu max -smp 1, pinned to host CPU%s\n", host["qemu", "all"], host["hostcpu", "all"]
	printf "ours: %s; Linux: Debian %s (transparent_hugepage=never)\n", host["ours", "all"], host["linux", "all"]
	printf "cycles: rdtsc in the guest (host TSC ticks under TCG); icount: the same under -icount shift=0,sleep=off,\n"
	printf "where the guest TSC counts executed instructions. ratio = ours / Linux; over 2 misses the bar.\n"
	printf "Our image boots from CD (a virtio disk under icount), Linux with -kernel/-initrd; both run the bench as init.\n\n"
	printf "%-22s %11s %11s %6s | %11s %11s %6s\n", "", "cycles", "", "", "icount", "", ""
	printf "%-22s %11s %11s %6s | %11s %11s %6s\n", "op", "ours", "Linux", "ratio", "ours", "Linux", "ratio"
	for (i = 1; i <= nops; i++) {
		op = order[i]
		r1 = ratio("cycles", op); r2 = ratio("icount", op)
		mark = ""
		if ((r1 != "" && r1 > 2) || (r2 != "" && r2 > 2)) {
			mark = "  <- over 2x"
			misses = misses " " op
		}
		printf "%-22s %11s %11s %6s | %11s %11s %6s%s\n", op,
		       cell("ours", "cycles", op), cell("linux", "cycles", op), fmt_ratio(r1),
		       cell("ours", "icount", op), cell("linux", "icount", op), fmt_ratio(r2), mark
	}
	for (i = 1; i <= nops; i++)
		for (kk = 1; kk <= 2; kk++) {
			kn = kk == 1 ? "ours" : "linux"
			if ((kn, order[i]) in why)
				printf "  n/a: %s on %s: %s\n", order[i], kn == "ours" ? "ours" : "Linux", why[kn, order[i]]
		}
	for (i = 1; i <= nfailed; i++)
		printf "  boot failure: %s\n", failed[i]

	printf "\nbar 1, every op within 2x of Linux: %s\n", misses == "" ? "met" : "missed by" misses
	printf "bar 2, cost from 1,000 to 100,000 VMAs within 1.5x:\n"
	printf "  fault:    ours %s (icount %s); Linux %s (icount %s)\n",
	       flat("ours", "cycles", "fault"), flat("ours", "icount", "fault"),
	       flat("linux", "cycles", "fault"), flat("linux", "icount", "fault")
	printf "  mprotect: ours %s (icount %s); Linux %s (icount %s)\n",
	       flat("ours", "cycles", "mprotect"), flat("ours", "icount", "mprotect"),
	       flat("linux", "cycles", "mprotect"), flat("linux", "icount", "mprotect")

	printf "\nextras\n"
	m = median("ours" SUBSEP "host" SUBSEP "prompt_ms")
	printf "  power-on to shell prompt, os.iso as shipped (GRUB's 2 s menu included): %s\n",
	       m == "" ? "n/a" : sprintf("%.2f s", m / 1000)
	a = median("ours" SUBSEP "host" SUBSEP "init_ms"); b = median("linux" SUBSEP "host" SUBSEP "init_ms")
	printf "  power-on to the bench running as init: ours %s (SeaBIOS, GRUB from CD, no menu wait), Linux %s (-kernel/-initrd)\n",
	       a == "" ? "n/a" : sprintf("%.2f s", a / 1000), b == "" ? "n/a" : sprintf("%.2f s", b / 1000)
	printf "  smallest -m with a working prompt: ours %s (os.iso: prompt, then \"echo ok\" answered); Linux %s (bench as init prints ok)\n",
	       ("minmem", "ours") in host ? host["minmem", "ours"] " MiB" : "not measured",
	       ("minmem", "linux") in host ? host["minmem", "linux"] " MiB" : "not measured"
	printf "  memory per idle process (MemFree drop over 1,000 paused children): ours %s KiB, Linux %s KiB\n",
	       ("ours", "idle_proc_kib") in extra ? extra["ours", "idle_proc_kib"] : "n/a",
	       ("linux", "idle_proc_kib") in extra ? extra["linux", "idle_proc_kib"] : "n/a"
	printf "  10,000 live processes in 1 GiB: ours %s; Linux %s\n",
	       ("ours", "procs_10000") in extra ? extra["ours", "procs_10000"] : "n/a",
	       ("linux", "procs_10000") in extra ? extra["linux", "procs_10000"] : "n/a"
	printf "  MemFree after reaping them: ours %s KiB; Linux %s KiB\n",
	       ("ours", "memfree_after_reap_kib") in extra ? extra["ours", "memfree_after_reap_kib"] : "n/a",
	       ("linux", "memfree_after_reap_kib") in extra ? extra["linux", "memfree_after_reap_kib"] : "n/a"
	if (("ours", "extras_failed") in extra || ("linux", "extras_failed") in extra)
		printf "  (an extras boot did not finish: see the logs)\n"
	printf "\nmake bench's boots took %s s\n", host["elapsed_s", "all"]

	if (svg != "") {
		printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1000\" height=\"680\" font-family=\"sans-serif\">\n" > svg
		printf "<rect width=\"1000\" height=\"680\" fill=\"white\"/>\n" > svg
		printf "<text x=\"500\" y=\"24\" text-anchor=\"middle\" font-size=\"16\">make bench: ours (red) against Debian's Linux (blue), medians of %s boots</text>\n", host["boots", "all"] > svg
		panel(90, 70, "fault and mprotect against VMA count (cycles)", "cycles", "vma")
		panel(580, 70, "fault and mprotect against VMA count (icount)", "icount", "vma")
		panel(90, 400, "fork+exit+wait against resident size (cycles)", "cycles", "res")
		panel(580, 400, "fork+exit+wait against resident size (icount)", "icount", "res")
		printf "</svg>\n" > svg
		close(svg)
	}
}
