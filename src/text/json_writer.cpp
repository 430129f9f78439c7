// The value encoders behind JsonWriter (include/bullion/text/json_writer.h),
// compiled for the buffers the project writes into.
#include "bullion/text/json_writer.h"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>

#include "bullion/text/outbuf.h"
#include "text/escape.h"
#include "text/numbers.h"

namespace bullion::text {

template <class Buf>
void write_json_hex(Buf& out, std::string_view bytes) {
  out.push_back('"');
  append_hex_bytes(out, bytes);
  out.push_back('"');
}

template <class Buf>
void write_json_number(Buf& out, uint64_t v) {
  append_u64(out, v);
}

template <class Buf>
void write_json_number(Buf& out, int64_t v) {
  append_i64(out, v);
}

void json_usage_error(std::string_view what, std::string_view key) {
  // A bug in the code that writes the JSON, never a property of the input:
  // stop before writing output that JSON readers would take differently.
  std::fprintf(stderr, "bullion: JSON writer: %.*s%s%.*s%s\n", static_cast<int>(what.size()), what.data(),
               key.empty() ? "" : " (\"", static_cast<int>(key.size()), key.data(), key.empty() ? "" : "\")");
  std::abort();
}

#define BULLION_INSTANTIATE_JSON(Buf)                        \
  template void write_json_hex<Buf>(Buf&, std::string_view); \
  template void write_json_number<Buf>(Buf&, uint64_t);      \
  template void write_json_number<Buf>(Buf&, int64_t);
BULLION_INSTANTIATE_JSON(OutBuf)
BULLION_INSTANTIATE_JSON(fmt::memory_buffer)
BULLION_INSTANTIATE_JSON(std::string)
#undef BULLION_INSTANTIATE_JSON

}  // namespace bullion::text
