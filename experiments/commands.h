/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/commands.h - what the `synack` program's files share: the
 * command descriptor, the exit codes, the helpers every command uses
 * (main.c) and the commands themselves (cmd-run.c, cmd-inspect.c,
 * cmd-results.c).  Private to the program, not installed. */
#ifndef SYNACK_COMMANDS_H
#define SYNACK_COMMANDS_H

#include <glib.h>

#include "config.h"
#include "registry.h"

enum {
  EXIT_OK = 0,
  EXIT_FAILURE_OTHER = 1,
  EXIT_USAGE = 2,
  EXIT_INTERRUPTED = 130
};

typedef struct Command Command;
struct Command {
  const char *name;
  const char *params;
  const char *summary;
  const char *description;
  int (*main) (int argc, char **argv, const Command *self);
};

/* ---- main.c ------------------------------------------------------------- */

/* Loads the plugins; a bad plugin is a warning and loading goes on. */
SynackRegistry *command_load_registry (void);
/* Prints @error (taken) and returns its exit code. */
int             command_fail (GError *error);
GOptionContext *command_context (const Command *cmd,
                                 const GOptionEntry *entries);
/* Parses @argv (argv[0] is the command name).  On a usage error prints it
 * with a hint and returns FALSE. */
gboolean        parse_command (GOptionContext *ctx, const Command *cmd,
                               int *argc, char ***argv);
/* Loads @path, applies the --set @sets and prints the config's warnings. */
SynackConfig   *command_load_config (const char *path, SynackRegistry *reg,
                                     char **sets, GError **error);

/* ---- the commands ------------------------------------------------------ */

/* cmd-run.c */
int cmd_run     (int argc, char **argv, const Command *self);
/* cmd-inspect.c */
int cmd_check   (int argc, char **argv, const Command *self);
int cmd_keys    (int argc, char **argv, const Command *self);
int cmd_models  (int argc, char **argv, const Command *self);
/* cmd-results.c */
int cmd_plot    (int argc, char **argv, const Command *self);
int cmd_ladder  (int argc, char **argv, const Command *self);
int cmd_merge   (int argc, char **argv, const Command *self);
int cmd_compare (int argc, char **argv, const Command *self);

#endif /* SYNACK_COMMANDS_H */
