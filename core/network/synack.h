/* SPDX-License-Identifier: GPL-3.0-or-later */
/* synack.h - the public API of libsynack in one include. */
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
#include "text.h"
#include "trace.h"
