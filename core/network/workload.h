/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/network/workload.h - what the applications do (private to libsynack).
 *
 * Opens attempts ([workload] arrival, rate, clients, ports), sends the SYN
 * flood, and closes connections as [workload] closer says. */
#pragma once

#include "world.h"

G_BEGIN_DECLS

/* Schedules the first arrival (at time 0) and, if the spec asks for one,
 * the first flood SYN. */
G_GNUC_INTERNAL
void synack_workload_start (Net *net);

/* Told of every state change, after the observers and the oracle: keeps
 * the count of busy client ports and schedules application closes. */
G_GNUC_INTERNAL
void synack_workload_on_state (Net *net, const SynackStateChange *chg);

G_END_DECLS
