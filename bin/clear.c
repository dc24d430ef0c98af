/* clear: home the cursor and erase the screen and its scrollback, with
 * the ANSI sequences the console (and any xterm) understands. */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static const char seq[] = "\033[H\033[2J\033[3J";

	if (argc > 1) {
		fprintf(stderr, "usage: %s\n", argv[0]);
		return 1;
	}
	return write(STDOUT_FILENO, seq, sizeof(seq) - 1) < 0;
}
