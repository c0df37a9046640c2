#ifndef WPTSYNC_CSPAWN_H
#define WPTSYNC_CSPAWN_H
#include <spawn.h>
/// posix_spawn_file_actions_addchdir_np is only declared under _GNU_SOURCE.
int wpts_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);
/// pipe2(fds, O_CLOEXEC): a pipe whose ends no other thread's child can inherit (pipe2 is only
/// declared under _GNU_SOURCE).
int wpts_pipe_cloexec(int fds[2]);
#endif
