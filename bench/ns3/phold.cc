// bench/ns3/phold.cc - PHOLD on ns-3's scheduler, to compare with
// bench/phold (synack's scheduler) and bench/phold-bare: P pending events;
// each event, when run, schedules one new event at now + Exp(mean 1 ms)
// for a uniformly chosen target.  --scheduler picks ns-3's scheduler
// (Map, Heap, List, Calendar, PriorityQueue).  Prints one key=value line.
#include <chrono>
#include <cstdio>
#include <string>

#include "ns3/core-module.h"

using namespace ns3;

static uint64_t g_remaining;
static uint64_t g_hits[1];
static Ptr<ExponentialRandomVariable> g_gap;
static Ptr<UniformRandomVariable> g_target;
static uint32_t g_pending;

static void
Handle ()
{
  g_hits[0] += g_target->GetInteger (0, g_pending - 1) & 1;
  if (g_remaining == 0)
    return;
  g_remaining--;
  Simulator::Schedule (NanoSeconds ((int64_t) g_gap->GetValue ()), &Handle);
}

int
main (int argc, char *argv[])
{
  uint32_t pending = 1000;
  uint64_t events = 0;
  std::string scheduler = "Heap";

  CommandLine cmd (__FILE__);
  cmd.AddValue ("pending", "pending population P", pending);
  cmd.AddValue ("events", "events to run (default 10 P, at least 2 000 000)", events);
  cmd.AddValue ("scheduler", "Map, Heap, List, Calendar or PriorityQueue", scheduler);
  cmd.Parse (argc, argv);
  if (events == 0)
    events = std::max<uint64_t> (10ull * pending, 2000000ull);
  g_pending = pending;

  ObjectFactory f;
  f.SetTypeId ("ns3::" + scheduler + "Scheduler");
  Simulator::SetScheduler (f);
  g_gap = CreateObject<ExponentialRandomVariable> ();
  g_gap->SetAttribute ("Mean", DoubleValue (1e6));
  g_target = CreateObject<UniformRandomVariable> ();
  g_remaining = events;
  for (uint32_t i = 0; i < pending; i++)
    Simulator::Schedule (NanoSeconds ((int64_t) g_gap->GetValue ()), &Handle);

  auto start = std::chrono::steady_clock::now ();
  Simulator::Run ();
  double wall = std::chrono::duration<double> (std::chrono::steady_clock::now () - start).count ();
  uint64_t run = Simulator::GetEventCount ();
  Simulator::Destroy ();
  std::printf ("impl=ns3-%s pending=%u events=%llu seconds=%.3f ns_per_event=%.1f "
               "events_per_s=%.1f\n", scheduler.c_str (), pending, (unsigned long long) run, wall,
               wall * 1e9 / run, run / wall);
  return 0;
}
