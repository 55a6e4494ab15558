/*
 * test/console_recv.c - the caller's side of --console-socket, as
 * containerd's shim and conmon do it: listen on a unix stream socket,
 * accept one connection, receive one message that must carry exactly one
 * SCM_RIGHTS fd (cmsg_len == CMSG_LEN(sizeof(int))) and 1 to 4095 bytes
 * of payload, then copy what the pty master says to stdout until the
 * container's side closes (EIO).
 *
 *   console_recv SOCKET     prints "console: 1 fd, N bytes" first, then
 *                           the terminal's output; exit 1 on anything
 *                           a caller would reject
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char payload[4096], ctl[CMSG_SPACE(2 * sizeof(int))], buf[4096];
	struct iovec iov = { payload, sizeof payload };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = ctl, .msg_controllen = sizeof ctl };
	struct cmsghdr *c;
	int l, s, master;
	ssize_t n;

	if (argc != 2 || strlen(argv[1]) >= sizeof sun.sun_path)
		return 2;
	strcpy(sun.sun_path, argv[1]);
	l = socket(AF_UNIX, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&sun, sizeof sun) < 0 ||
	    listen(l, 1) < 0 || (s = accept(l, NULL, NULL)) < 0) {
		perror("console_recv");
		return 1;
	}
	n = recvmsg(s, &msg, 0);
	c = CMSG_FIRSTHDR(&msg);
	if (n < 1 || n >= 4096 || !c || c->cmsg_type != SCM_RIGHTS ||
	    c->cmsg_len != CMSG_LEN(sizeof(int)) || CMSG_NXTHDR(&msg, c)) {
		fprintf(stderr, "console_recv: not one fd with a payload\n");
		return 1;
	}
	memcpy(&master, CMSG_DATA(c), sizeof master);
	printf("console: 1 fd, %zd bytes\n", n);
	fflush(stdout);
	close(s);
	close(l);
	while ((n = read(master, buf, sizeof buf)) > 0 ||
	       (n < 0 && errno == EINTR))
		if (n > 0)
			fwrite(buf, 1, (size_t)n, stdout);
	return 0;
}
