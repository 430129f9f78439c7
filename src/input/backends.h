// The backends open_input() chooses from.
#pragma once

#include <memory>
#include <string>

#include "bullion/input/byte_source.h"
#include "bullion/input/open.h"

namespace bullion::input {

// A file descriptor; `path` is what --follow watches for rotation.
std::unique_ptr<Backend> descriptor_backend(int fd, bool owned, std::string path, const OpenOptions& options);

// Inflates the gzip stream read from `compressed` (members one after the other).
std::unique_ptr<Backend> gzip_backend(std::unique_ptr<ByteSource> compressed);

}  // namespace bullion::input
