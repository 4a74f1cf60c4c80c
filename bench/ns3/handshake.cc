// bench/ns3/handshake.cc - the bench/workloads/handshake.ini workload in
// ns-3, to compare like with like: N TCP connections from one client node
// to one server node over one point-to-point link of 10 ms (each way) with
// a packet loss probability in both directions; each connection opens
// (3-way handshake), sends a 100-byte request and closes (4-way close).
// Arrivals are Poisson at --rate per second.  Prints one key=value line.
//
// Built only when libns3-dev is installed (configure checks ns3-core...).
#include <chrono>
#include <cstdio>
#include <sys/resource.h>

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

using namespace ns3;

static uint64_t g_established = 0;
static uint64_t g_failed = 0;

static void
Connected (Ptr<Socket> socket)
{
  g_established++;
  socket->Send (Create<Packet> (100));
  socket->Close ();
}

static void
ConnectFailed (Ptr<Socket> socket)
{
  g_failed++;
}

static void
OpenOne (Ptr<Node> client, Address server)
{
  Ptr<Socket> s = Socket::CreateSocket (client, TcpSocketFactory::GetTypeId ());
  s->Bind ();
  s->SetConnectCallback (MakeCallback (&Connected), MakeCallback (&ConnectFailed));
  s->Connect (server);
}

int
main (int argc, char *argv[])
{
  uint32_t connections = 10000;
  double loss = 0.1;
  double rate = 1000;
  uint32_t seed = 1;

  CommandLine cmd (__FILE__);
  cmd.AddValue ("connections", "connection attempts", connections);
  cmd.AddValue ("loss", "packet loss probability per direction", loss);
  cmd.AddValue ("rate", "attempts per second (Poisson)", rate);
  cmd.AddValue ("seed", "RNG run number", seed);
  cmd.Parse (argc, argv);
  RngSeedManager::SetRun (seed);

  NodeContainer nodes;
  nodes.Create (2);
  PointToPointHelper p2p;
  p2p.SetDeviceAttribute ("DataRate", StringValue ("1Gbps"));
  p2p.SetChannelAttribute ("Delay", StringValue ("10ms"));
  p2p.SetQueue ("ns3::DropTailQueue", "MaxSize", StringValue ("100000p"));
  NetDeviceContainer devices = p2p.Install (nodes);
  for (uint32_t i = 0; i < 2; i++) {
    Ptr<RateErrorModel> em = CreateObject<RateErrorModel> ();
    em->SetAttribute ("ErrorRate", DoubleValue (loss));
    em->SetAttribute ("ErrorUnit", StringValue ("ERROR_UNIT_PACKET"));
    devices.Get (i)->SetAttribute ("ReceiveErrorModel", PointerValue (em));
  }
  InternetStackHelper stack;
  stack.Install (nodes);
  Ipv4AddressHelper address;
  address.SetBase ("10.0.0.0", "255.255.255.0");
  Ipv4InterfaceContainer ifs = address.Assign (devices);

  Address server (InetSocketAddress (ifs.GetAddress (1), 80));
  PacketSinkHelper sink ("ns3::TcpSocketFactory", InetSocketAddress (Ipv4Address::GetAny (), 80));
  sink.Install (nodes.Get (1)).Start (Seconds (0));

  Ptr<ExponentialRandomVariable> gap = CreateObject<ExponentialRandomVariable> ();
  gap->SetAttribute ("Mean", DoubleValue (1.0 / rate));
  double t = 0;
  for (uint32_t i = 0; i < connections; i++) {
    Simulator::Schedule (Seconds (t), &OpenOne, nodes.Get (0), server);
    t += gap->GetValue ();
  }

  auto start = std::chrono::steady_clock::now ();
  Simulator::Stop (Seconds (t + 600));
  Simulator::Run ();
  double wall = std::chrono::duration<double> (std::chrono::steady_clock::now () - start).count ();
  uint64_t events = Simulator::GetEventCount ();
  Simulator::Destroy ();

  struct rusage ru;
  getrusage (RUSAGE_SELF, &ru);
  std::printf ("impl=ns3 attempts=%u established=%llu failed=%llu events=%llu seconds=%.3f "
               "attempts_per_s=%.1f events_per_s=%.1f peak_rss_kb=%ld\n",
               connections, (unsigned long long) g_established, (unsigned long long) g_failed,
               (unsigned long long) events, wall, connections / wall, events / wall, ru.ru_maxrss);
  return 0;
}
