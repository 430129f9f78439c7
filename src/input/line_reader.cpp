#include "bullion/input/line_reader.h"

#include <cstring>

namespace bullion::input {

bool LineReader::next(Line& line) {
  source_.consume(pending_);
  pending_ = 0;
  std::span<const uint8_t> window = source_.ensure(1);
  if (window.empty()) return false;
  line = Line{};
  line.offset = source_.offset();
  size_t scanned = 0;
  for (;;) {
    const auto* newline =
        static_cast<const uint8_t*>(std::memchr(window.data() + scanned, '\n', window.size() - scanned));
    if (newline || source_.at_end()) {
      const size_t length = newline ? static_cast<size_t>(newline - window.data()) : window.size();
      if (length > max_length_) {
        line.length = length;
        line.too_long = true;
        pending_ = newline ? length + 1 : length;
        return true;
      }
      line.text = std::string_view(reinterpret_cast<const char*>(window.data()), length);
      line.length = length;
      pending_ = newline ? length + 1 : length;
      return true;
    }
    scanned = window.size();
    if (scanned > max_length_) {
      skip_rest(line);
      return true;
    }
    window = source_.ensure(scanned + 1);
  }
}

// The line is over the limit: count and drop its bytes up to the newline
// without keeping them.
void LineReader::skip_rest(Line& line) {
  line.too_long = true;
  for (;;) {
    const std::span<const uint8_t> window = source_.ensure(1);
    if (window.empty()) return;
    const auto* newline = static_cast<const uint8_t*>(std::memchr(window.data(), '\n', window.size()));
    const size_t take = newline ? static_cast<size_t>(newline - window.data()) : window.size();
    line.length += take;
    source_.consume(newline ? take + 1 : take);
    if (newline) return;
  }
}

}  // namespace bullion::input
