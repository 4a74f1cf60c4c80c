/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/network/plugin-file.c - checking a plugin file before dlopen() (see
 * plugin-file.h).
 *
 * dlopen() trusts the file: it mmap()s each segment at the offset and size
 * the program headers give, and a segment past the end of a truncated file
 * (an interrupted copy or build, a full disk) is a SIGBUS on first touch,
 * inside dlopen(), that kills whatever command was starting.  So every
 * plugin file is checked first, in this process: regular file, ELF magic,
 * class, byte order, type and machine of this build, and every header and
 * segment within the file's size.  That is an open(), an fstat() and two
 * pread()s of a few hundred bytes per plugin: loading the 12 built-in
 * plugins took 0.9-1.4 ms with the check and without (the noise is larger
 * than the difference).  GStreamer instead loads plugins in a child process
 * (gst-plugin-scanner) and caches the result in a registry file; a fork and
 * exec alone cost 2 ms here, 24 ms per start for 12 plugins, and a cache
 * and its invalidation is a lot of machinery for the one way a plugin file
 * goes bad here.  What the check cannot see: a file changed between the
 * check and dlopen(), or a well-formed file whose code crashes; a scanner
 * process would catch those too.
 *
 * ELF only (__ELF__: Linux, the BSDs); elsewhere the file goes to
 * g_module_open() as before. */
#include "plugin-file.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __ELF__
#include <elf.h>
#include <link.h>       /* ElfW() */
#endif

#include "registry.h"

static gboolean
bad_file (GError **error, const char *path, const char *format, ...)
  G_GNUC_PRINTF (3, 4);

static gboolean
bad_file (GError **error, const char *path, const char *format, ...)
{
  va_list args;
  g_autofree char *why = NULL;

  va_start (args, format);
  why = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, SYNACK_REGISTRY_ERROR, SYNACK_REGISTRY_ERROR_BAD_FILE,
               "%s: not a plugin: %s", path, why);
  return FALSE;
}

#ifdef __ELF__

#if GLIB_SIZEOF_VOID_P == 8
#define NATIVE_CLASS ELFCLASS64
#else
#define NATIVE_CLASS ELFCLASS32
#endif
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
#define NATIVE_DATA ELFDATA2LSB
#else
#define NATIVE_DATA ELFDATA2MSB
#endif
/* elf.h has no "this machine"; unknown ones skip the machine check and
 * leave a wrong machine to dlopen(), which refuses it without crashing */
#if defined(__x86_64__)
#define NATIVE_MACHINE EM_X86_64
#elif defined(__i386__)
#define NATIVE_MACHINE EM_386
#elif defined(__aarch64__)
#define NATIVE_MACHINE EM_AARCH64
#elif defined(__arm__)
#define NATIVE_MACHINE EM_ARM
#elif defined(__riscv)
#define NATIVE_MACHINE EM_RISCV
#elif defined(__powerpc64__)
#define NATIVE_MACHINE EM_PPC64
#elif defined(__powerpc__)
#define NATIVE_MACHINE EM_PPC
#elif defined(__s390__)
#define NATIVE_MACHINE EM_S390
#endif

static const char *
elf_class_name (guint c)
{
  return c == ELFCLASS32 ? "32-bit" : c == ELFCLASS64 ? "64-bit" : "unknown";
}

static const char *
elf_data_name (guint d)
{
  return d == ELFDATA2LSB ? "little-endian"
    : d == ELFDATA2MSB ? "big-endian" : "unknown";
}

static gboolean
truncated (GError **error, const char *path, guint64 size, const char *what,
           guint64 need)
{
  return bad_file (error, path, "truncated (file is %" G_GUINT64_FORMAT
                   " bytes, %s %" G_GUINT64_FORMAT ")", size, what, need);
}

/* TRUE if [@off, @off + @len) lies within @size bytes; *@end is its end,
 * saturated at G_MAXUINT64. */
static gboolean
within (guint64 off, guint64 len, guint64 size, guint64 *end)
{
  *end = off > G_MAXUINT64 - len ? G_MAXUINT64 : off + len;
  return len <= size && off <= size - len;
}

static gboolean
read_at (int fd, void *buf, gsize len, guint64 off)
{
  gsize done = 0;

  while (done < len) {
    ssize_t n = pread (fd, (char *) buf + done, len - done,
                       (off_t) (off + done));

    if (n < 0 && errno == EINTR)
      continue;
    if (n == 0)
      errno = EIO;   /* shorter than fstat() said: it shrank meanwhile */
    if (n <= 0)
      return FALSE;
    done += (gsize) n;
  }
  return TRUE;
}

static gboolean
check_elf (int fd, const char *path, guint64 size, GError **error)
{
  ElfW (Ehdr) eh;
  g_autofree ElfW (Phdr) *ph = NULL;
  gsize n_head = (gsize) MIN (size, (guint64) sizeof eh);
  guint64 end, need = 0;

  memset (&eh, 0, sizeof eh);
  if (!read_at (fd, &eh, n_head, 0))
    return bad_file (error, path, "cannot read: %s", g_strerror (errno));
  /* a truncated copy still starts with the magic: only a mismatch within
   * the bytes there are says "not ELF" */
  if (memcmp (eh.e_ident, ELFMAG, MIN (n_head, (gsize) SELFMAG)) != 0)
    return bad_file (error, path, "not an ELF file (no \\177ELF magic)");
  if (n_head < sizeof eh)
    return truncated (error, path, size, "its ELF header needs",
                      (guint64) sizeof eh);
  if (eh.e_ident[EI_CLASS] != NATIVE_CLASS)
    return bad_file (error, path, "a %s ELF file, this synack is %s",
                     elf_class_name (eh.e_ident[EI_CLASS]),
                     elf_class_name (NATIVE_CLASS));
  if (eh.e_ident[EI_DATA] != NATIVE_DATA)
    return bad_file (error, path, "a %s ELF file, this synack is %s",
                     elf_data_name (eh.e_ident[EI_DATA]),
                     elf_data_name (NATIVE_DATA));
  if (eh.e_ident[EI_VERSION] != EV_CURRENT || eh.e_version != EV_CURRENT)
    return bad_file (error, path, "ELF version %u, not %u",
                     (guint) eh.e_version, (guint) EV_CURRENT);
  if (eh.e_type != ET_DYN)
    return bad_file (error, path, "ELF type %u, not a shared object (%u)",
                     (guint) eh.e_type, (guint) ET_DYN);
#ifdef NATIVE_MACHINE
  if (eh.e_machine != NATIVE_MACHINE)
    return bad_file (error, path, "built for ELF machine %u, this synack "
                     "runs on %u", (guint) eh.e_machine,
                     (guint) NATIVE_MACHINE);
#endif
  if (eh.e_phentsize != sizeof *ph || eh.e_phnum == 0
      || eh.e_phnum == PN_XNUM)
    return bad_file (error, path, "%u program headers of %u bytes",
                     (guint) eh.e_phnum, (guint) eh.e_phentsize);
  if (!within (eh.e_phoff, (guint64) eh.e_phnum * sizeof *ph, size, &end))
    return truncated (error, path, size, "its program headers need", end);
  ph = g_new (ElfW (Phdr), eh.e_phnum);
  if (!read_at (fd, ph, eh.e_phnum * sizeof *ph, eh.e_phoff))
    return bad_file (error, path, "cannot read: %s", g_strerror (errno));
  for (guint i = 0; i < eh.e_phnum; i++)
    if (!within (ph[i].p_offset, ph[i].p_filesz, size, &end))
      need = MAX (need, end);
  if (need > 0)
    return truncated (error, path, size, "its segments need", need);
  /* dlopen() never reads the section headers, but a table cut off says the
   * file is cut off: report it as such rather than wait for worse */
  if (eh.e_shoff != 0
      && !within (eh.e_shoff, (guint64) MAX (eh.e_shnum, 1) * eh.e_shentsize,
                  size, &end))
    return truncated (error, path, size, "its section headers need", end);
  return TRUE;
}

#endif /* __ELF__ */

gboolean
synack_plugin_file_check (const char *file, const char *path, GError **error)
{
  struct stat st;
  gboolean ok = TRUE;
  int fd;

  /* O_NONBLOCK: a FIFO named *.so must not hang the start */
  fd = g_open (file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0);
  if (fd < 0) {
    int saved = errno;

    g_set_error (error, SYNACK_REGISTRY_ERROR, SYNACK_REGISTRY_ERROR_OPEN,
                 "%s: cannot open: %s", path, g_strerror (saved));
    return FALSE;
  }
  if (fstat (fd, &st) != 0) {
    int saved = errno;

    g_set_error (error, SYNACK_REGISTRY_ERROR, SYNACK_REGISTRY_ERROR_OPEN,
                 "%s: cannot open: %s", path, g_strerror (saved));
    ok = FALSE;
  } else if (S_ISDIR (st.st_mode)) {
    ok = bad_file (error, path, "a directory");
  } else if (!S_ISREG (st.st_mode)) {
    ok = bad_file (error, path, "not a regular file");
  }
#ifdef __ELF__
  if (ok)
    ok = check_elf (fd, path, (guint64) st.st_size, error);
#endif
  close (fd);
  return ok;
}
