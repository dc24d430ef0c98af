/* The smallest user program: built with musl-gcc -static, it proves that
 * an unmodified Linux binary starts, prints through stdio and exits. */
#include <stdio.h>

int main(void)
{
	printf("hello from user space\n");
	return 0;
}
