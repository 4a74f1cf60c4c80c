/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/mpi-runner.c - see mpi-runner.h.
 *
 * The protocol, rank 0 to a worker: TAG_RUN {point, replication}, or
 * TAG_STOP.  A worker answers on TAG_RESULT with {ok, latencies, histogram
 * bytes, traces, error length}, then on TAG_DATA the SynackMetrics bytes
 * (when ok), the latencies (doubles) or the encoded histogram of a large
 * run (histogram.h), the error text, and per trace file its name and its bytes
 * in chunks.  Messages between two ranks never overtake each other (MPI's
 * ordering rule), so rank 0 reads the TAG_DATA messages in that order.
 * Rank 0's threads take turns at MPI (MPI_THREAD_SERIALIZED, one mutex)
 * and poll for answers, so none holds MPI while a run computes. */
#include "mpi-runner.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

#ifdef HAVE_MPI
#include <mpi.h>
#include <glib/gstdio.h>
#include <unistd.h>
#endif

gboolean
synack_mpi_available (void)
{
#ifdef HAVE_MPI
  return TRUE;
#else
  return FALSE;
#endif
}

#ifndef HAVE_MPI

int
synack_mpi_world_size (void)
{
  return 1;
}

gboolean
synack_mpi_run (SynackConfig *cfg, SynackRunnerOptions *opt,
                char **out_dir_used, GError **error)
{
  return synack_runner_run (cfg, opt, out_dir_used, error);
}

#else

enum { TAG_RUN = 1, TAG_STOP, TAG_RESULT, TAG_DATA };
#define CHUNK_BYTES (64u << 20)

typedef struct {
  gint32  ok;
  guint32 n_latencies;
  guint32 hist_bytes;     /* > 0: a histogram instead of latencies */
  guint32 n_traces;
  guint32 error_len;
} ResultHead;

static int world_size = -1, world_rank;
static GMutex mpi_lock;

static void
finalize_mpi (void)
{
  int done = 0;

  MPI_Finalized (&done);
  if (!done)
    MPI_Finalize ();
}

int
synack_mpi_world_size (void)
{
  int provided;

  if (world_size >= 0)
    return world_size;
  world_size = 1;
  if (g_getenv ("OMPI_COMM_WORLD_SIZE") == NULL &&
      g_getenv ("PMI_SIZE") == NULL && g_getenv ("PMIX_RANK") == NULL)
    return world_size;
  if (MPI_Init_thread (NULL, NULL, MPI_THREAD_SERIALIZED, &provided) !=
      MPI_SUCCESS)
    return world_size;
  atexit (finalize_mpi);
  if (provided < MPI_THREAD_SERIALIZED) {
    g_printerr (
      "synack: warning: this MPI cannot serve threads one at a time "
      "(MPI_THREAD_SERIALIZED); every process runs the whole batch alone\n");
    return world_size;
  }
  MPI_Comm_size (MPI_COMM_WORLD, &world_size);
  MPI_Comm_rank (MPI_COMM_WORLD, &world_rank);
  return world_size;
}

/* Sends @len bytes in chunks MPI's int counts can hold. */
static void
send_bytes (const void *data, gsize len, int dest)
{
  const char *p = data;

  do {
    int n = (int) MIN (len, CHUNK_BYTES);

    MPI_Send (p, n, MPI_BYTE, dest, TAG_DATA, MPI_COMM_WORLD);
    p += n;
    len -= (gsize) n;
  } while (len > 0);
}

static void
recv_bytes (void *data, gsize len, int src)
{
  char *p = data;

  do {
    int n = (int) MIN (len, CHUNK_BYTES);

    MPI_Recv (p, n, MPI_BYTE, src, TAG_DATA, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    p += n;
    len -= (gsize) n;
  } while (len > 0);
}

/* ---- a worker ---- */

static void
serve (SynackConfig *cfg, gboolean config_matches)
{
  g_autofree char *tmp = g_dir_make_tmp ("synack-mpi-XXXXXX", NULL);

  for (;;) {
    guint32 run[2];
    MPI_Status st;
    SynackRunSpec spec = { 0 };
    SynackMetrics m;
    g_auto (SynackSamples) lat = { NULL, NULL };
    g_autoptr (GByteArray) hist = g_byte_array_new ();
    g_autoptr (GError) error = NULL;
    g_autoptr (GPtrArray) traces = g_ptr_array_new_with_free_func (g_free);
    g_autofree char *prefix = NULL;
    ResultHead head = { 0 };
    gboolean ok = FALSE;

    MPI_Recv (run, 2, MPI_UINT32_T, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
    if (st.MPI_TAG == TAG_STOP)
      break;
    if (!config_matches) {
      g_set_error (
        &error, SYNACK_RUNNER_ERROR, SYNACK_RUNNER_ERROR_OTHER_EXPERIMENT,
        "MPI rank %d loaded another config than rank 0 (is CONFIG the same "
        "file on every node?)",
        world_rank);
    } else if (tmp == NULL) {
      g_set_error (&error, SYNACK_RUNNER_ERROR, SYNACK_RUNNER_ERROR_IO,
                   "MPI rank %d: no temporary directory for traces",
                   world_rank);
    } else if (synack_config_build_run (cfg, run[0], &spec, &error)) {
      prefix = g_strdup_printf ("%s/%u-%u", tmp, run[0], run[1]);
      spec.seed = synack_runner_seed (cfg, run[0], run[1]);
      spec.trace_prefix = g_strdup (prefix);
      ok = synack_net_run (&spec, &m, &lat, NULL, NULL, &error);
      if (ok && lat.hist != NULL)
        synack_histogram_encode (lat.hist, hist);
      synack_run_spec_clear (&spec);
    }
    if (tmp != NULL) {
      g_autoptr (GDir) d = g_dir_open (tmp, 0, NULL);
      const char *name;

      while (d != NULL && (name = g_dir_read_name (d)) != NULL)
        g_ptr_array_add (traces, g_strdup (name));
    }
    head.ok = ok;
    head.n_latencies = ok && lat.exact != NULL ? lat.exact->len : 0;
    head.hist_bytes = ok ? hist->len : 0;
    head.n_traces = ok ? traces->len : 0;
    head.error_len =
      ok ? 0 : (guint32) strlen (error ? error->message : "?") + 1;
    MPI_Send (&head, sizeof head, MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD);
    if (ok) {
      send_bytes (&m, sizeof m, 0);
      if (head.n_latencies)
        send_bytes (lat.exact->data, head.n_latencies * sizeof (double), 0);
      if (head.hist_bytes)
        send_bytes (hist->data, head.hist_bytes, 0);
    } else {
      send_bytes (error ? error->message : "?", head.error_len, 0);
    }
    for (guint t = 0; t < traces->len; t++) {
      g_autofree char *path = g_build_filename (tmp, traces->pdata[t], NULL);
      g_autofree char *data = NULL;
      gsize len = 0;
      guint64 sizes[2];

      if (ok && !g_file_get_contents (path, &data, &len, NULL))
        len = 0;
      if (ok) {
        sizes[0] = strlen (traces->pdata[t]) + 1;
        sizes[1] = len;
        send_bytes (sizes, sizeof sizes, 0);
        send_bytes (traces->pdata[t], sizes[0], 0);
        if (len)
          send_bytes (data, len, 0);
      }
      g_unlink (path);
    }
  }
  if (tmp != NULL)
    g_rmdir (tmp);
}

/* ---- rank 0 ---- */

typedef struct {
  GAsyncQueue *free_workers;   /* GINT_TO_POINTER (rank) */
} Master;

static gboolean
execute_remote (const SynackRunSpec *spec, guint point, guint replication,
                SynackMetrics *metrics, SynackSamples *samples,
                gpointer user_data, GError **error)
{
  Master *ms = user_data;
  int worker = GPOINTER_TO_INT (g_async_queue_pop (ms->free_workers));
  guint32 run[2] = { point, replication };
  ResultHead head;
  g_autofree char *trace_dir = g_path_get_dirname (spec->trace_prefix);
  gboolean ok = TRUE;

  g_mutex_lock (&mpi_lock);
  MPI_Send (run, 2, MPI_UINT32_T, worker, TAG_RUN, MPI_COMM_WORLD);
  g_mutex_unlock (&mpi_lock);
  for (;;) {
    int arrived = 0;

    g_mutex_lock (&mpi_lock);
    MPI_Iprobe (worker, TAG_RESULT, MPI_COMM_WORLD, &arrived,
                MPI_STATUS_IGNORE);
    if (arrived)
      break;   /* keeps the lock for the whole answer */
    g_mutex_unlock (&mpi_lock);
    g_usleep (2000);
  }
  MPI_Recv (&head, sizeof head, MPI_BYTE, worker, TAG_RESULT, MPI_COMM_WORLD,
            MPI_STATUS_IGNORE);
  if (head.ok) {
    recv_bytes (metrics, sizeof *metrics, worker);
    samples->exact = g_array_sized_new (FALSE, FALSE, sizeof (double),
                                        head.n_latencies);
    g_array_set_size (samples->exact, head.n_latencies);
    if (head.n_latencies)
      recv_bytes (samples->exact->data, head.n_latencies * sizeof (double),
                  worker);
    if (head.hist_bytes) {
      g_autofree guint8 *bytes = g_malloc (head.hist_bytes);

      recv_bytes (bytes, head.hist_bytes, worker);
      g_clear_pointer (&samples->exact, g_array_unref);
      samples->hist = synack_histogram_decode (bytes, head.hist_bytes, error);
      if (samples->hist == NULL) {
        g_prefix_error (error, "MPI rank %d: ", worker);
        ok = FALSE;
      }
    }
  } else {
    g_autofree char *msg = g_malloc (MAX (head.error_len, 1));

    recv_bytes (msg, head.error_len, worker);
    msg[head.error_len ? head.error_len - 1 : 0] = '\0';
    g_set_error (error, SYNACK_RUNNER_ERROR, SYNACK_RUNNER_ERROR_RUNS_FAILED,
                 "%s (MPI rank %d)", msg, worker);
    ok = FALSE;
  }
  for (guint t = 0; t < head.n_traces; t++) {
    guint64 sizes[2];
    g_autofree char *name = NULL;
    g_autofree char *data = NULL;
    g_autofree char *path = NULL;
    GError *werr = NULL;

    recv_bytes (sizes, sizeof sizes, worker);
    name = g_malloc (sizes[0]);
    recv_bytes (name, sizes[0], worker);
    name[sizes[0] - 1] = '\0';
    data = g_malloc (MAX (sizes[1], 1));
    if (sizes[1])
      recv_bytes (data, sizes[1], worker);
    if (!ok || strchr (name, '/') != NULL)
      continue;
    path = g_build_filename (trace_dir, name, NULL);
    if (!synack_text_write_atomic (path, data, (gssize) sizes[1], &werr)) {
      g_propagate_error (error, werr);
      ok = FALSE;
    }
  }
  g_mutex_unlock (&mpi_lock);
  g_async_queue_push (ms->free_workers, GINT_TO_POINTER (worker));
  return ok;
}

gboolean
synack_mpi_run (SynackConfig *cfg, SynackRunnerOptions *opt,
                char **out_dir_used, GError **error)
{
  g_autofree char *ini = synack_config_to_ini (cfg);
  g_autofree char *hash =
    g_compute_checksum_for_string (G_CHECKSUM_SHA256, ini, -1);
  char master_hash[65] = "";
  gboolean ok = TRUE;

  g_strlcpy (master_hash, hash, sizeof master_hash);
  MPI_Bcast (master_hash, sizeof master_hash, MPI_CHAR, 0, MPI_COMM_WORLD);
  if (world_rank != 0) {
    serve (cfg, strcmp (master_hash, hash) == 0);
    if (out_dir_used)
      *out_dir_used = NULL;
  } else {
    Master ms = { g_async_queue_new () };
    guint32 none[2] = { 0, 0 };

    for (int w = 1; w < world_size; w++)
      g_async_queue_push (ms.free_workers, GINT_TO_POINTER (w));
    if (opt->progress != SYNACK_PROGRESS_QUIET)
      g_printerr ("synack: MPI: rank 0 hands the runs to %d worker processes\n",
                  world_size - 1);
    opt->jobs = (guint) (world_size - 1);
    opt->execute = execute_remote;
    opt->execute_data = &ms;
    ok = synack_runner_run (cfg, opt, out_dir_used, error);
    opt->execute = NULL;
    for (int w = 1; w < world_size; w++)
      MPI_Send (none, 2, MPI_UINT32_T, w, TAG_STOP, MPI_COMM_WORLD);
    g_async_queue_unref (ms.free_workers);
  }
  return ok;
}

#endif
