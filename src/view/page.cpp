#include "bullion/view/page.h"

// kPageHead, kPageTail: generated from src/view/page by tools/embed_page.py.
#include "view/page_assets.inc"

namespace bullion::view {

void write_view_page(const ProcessModel& model, const DocumentInfo& info,
                     const std::function<void(std::string_view)>& emit) {
  emit(kPageHead);
  write_view_json(model, info, emit);
  emit(kPageTail);
}

}  // namespace bullion::view
