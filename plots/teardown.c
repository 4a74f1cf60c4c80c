/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plots/teardown.c - the teardown figure (plots/teardown.gp): mean
 * teardown duration with its 95 % CI against the x key. */
#include "figure.h"

gboolean
plot_figure_teardown (Figure *f, GError **error)
{
  plot_figure_begin (f, "teardown duration");
  return plot_figure_mean_vs_x (f, "teardown_mean_s", NULL, NULL, error);
}
