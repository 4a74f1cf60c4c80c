/* SPDX-License-Identifier: GPL-3.0-or-later */
/* synack.h - the public API of libsynack in one include: every installed
 * header.  A program that embeds synack builds a SynackRunSpec (net.h) from
 * plugins it finds in a SynackRegistry (registry.h), runs it with
 * synack_net_run() and reads SynackMetrics (metrics.h); README.md, "Using
 * the library", has a complete example. */
#pragma once

#include "clock.h"
#include "histogram.h"
#include "metrics.h"
#include "net.h"
#include "params.h"
#include "plugin.h"
#include "protocol.h"
#include "registry.h"
#include "rng.h"
#include "sched.h"
#include "segment.h"
#include "tcp.h"
