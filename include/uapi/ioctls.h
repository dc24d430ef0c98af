/* The generic ioctl requests every file answers (Linux x86-64 numbers);
 * the terminal ones belong with termios. */
#ifndef UAPI_IOCTLS_H
#define UAPI_IOCTLS_H

#define FIONREAD	0x541B	/* int: bytes ready to read */
#define FIONBIO		0x5421	/* int: nonzero sets O_NONBLOCK */
#define FIONCLEX	0x5450	/* clear close-on-exec */
#define FIOCLEX		0x5451	/* set close-on-exec */
#define FIOASYNC	0x5452	/* int: O_ASYNC (not supported) */

#endif
