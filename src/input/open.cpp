#include "bullion/input/open.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "input/backends.h"

namespace bullion::input {

OpenedInput sniff_input(std::unique_ptr<ByteSource> bytes) {
  OpenedInput opened;
  Format format = sniff(*bytes);
  if (format == Format::Gzip) {
    // The sniffed bytes are still in the source's buffer: inflating reads
    // them from there, never from a second open.
    opened.compressed = true;
    bytes = std::make_unique<ByteSource>(gzip_backend(std::move(bytes)));
    format = sniff(*bytes);
    if (format == Format::Gzip) format = Format::Bsm;  // gzip in gzip: the framer reports the bytes
  }
  opened.bytes = std::move(bytes);
  opened.format = format;
  return opened;
}

Result<OpenedInput> open_input(const std::string& path, const OpenOptions& options) {
  if (path == "-") return sniff_input(descriptor_source(STDIN_FILENO, false, options));
  // A FIFO blocks here until its writer opens it, as cat(1) does.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error{Errc::CannotOpen, 0, 0, std::strerror(errno), path};
  struct stat st {};
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    close(fd);
    return Error{Errc::CannotOpen, 0, 0, "is a directory", path};
  }
  return sniff_input(std::make_unique<ByteSource>(descriptor_backend(fd, true, path, options), options.chunk));
}

}  // namespace bullion::input
