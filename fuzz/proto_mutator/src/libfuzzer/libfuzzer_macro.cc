#include "src/libfuzzer/libfuzzer_macro.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

// libFuzzer's own byte mutator (dictionary, traced comparisons). Weak: the
// corpus replay tests link no libFuzzer, and never mutate.
extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size)
    __attribute__((weak));

namespace protobuf_mutator::libfuzzer {
namespace {

// Text inputs are mostly not text protos: no log line for each.
class SilentErrors : public protobuf::io::ErrorCollector {
 public:
  void AddError(int, int, const std::string&) override {}
};

Mutator& TheMutator() {
  static Mutator* const mutator = [] {
    auto* made = new Mutator();
    if (LLVMFuzzerMutate != nullptr) made->SetByteMutator(LLVMFuzzerMutate);
    return made;
  }();
  return *mutator;
}

std::string Serialize(bool binary, const protobuf::Message& message) {
  std::string text;
  if (binary) {
    message.SerializePartialToString(&text);
  } else {
    protobuf::TextFormat::PrintToString(message, &text);
  }
  return text;
}

// Copies `text` to `out` when it fits; returns its size, or 0.
size_t Store(const std::string& text, uint8_t* out, size_t max_size) {
  if (text.size() > max_size) return 0;
  std::memcpy(out, text.data(), text.size());
  return text.size();
}

}  // namespace

bool LoadProtoInput(bool binary, const uint8_t* data, size_t size,
                    protobuf::Message* input) {
  input->Clear();
  if (binary) return input->ParsePartialFromArray(data, static_cast<int>(size));
  protobuf::TextFormat::Parser parser;
  parser.AllowPartialMessage(true);
  SilentErrors errors;
  parser.RecordErrorsTo(&errors);
  return parser.ParseFromString(
      std::string(reinterpret_cast<const char*>(data), size), input);
}

size_t CustomProtoMutator(bool binary, uint8_t* data, size_t size,
                          size_t max_size, unsigned int seed,
                          protobuf::Message* input) {
  Mutator& mutator = TheMutator();
  mutator.Seed(seed);
  // The size hint is in binary bytes; text takes more, so the hint shrinks
  // until the result fits.
  for (size_t hint = max_size; hint > 0; hint /= 2) {
    if (!LoadProtoInput(binary, data, size, input)) input->Clear();
    mutator.Mutate(input, hint);
    if (const size_t stored = Store(Serialize(binary, *input), data, max_size);
        stored > 0 || input->ByteSizeLong() == 0) {
      return stored;
    }
  }
  return 0;
}

size_t CustomProtoCrossOver(bool binary, const uint8_t* data1, size_t size1,
                            const uint8_t* data2, size_t size2, uint8_t* out,
                            size_t max_out_size, unsigned int seed,
                            protobuf::Message* input1,
                            protobuf::Message* input2) {
  Mutator& mutator = TheMutator();
  mutator.Seed(seed);
  if (!LoadProtoInput(binary, data1, size1, input1)) input1->Clear();
  for (size_t hint = max_out_size; hint > 0; hint /= 2) {
    if (!LoadProtoInput(binary, data2, size2, input2)) input2->Clear();
    mutator.CrossOver(*input1, input2, hint);
    if (const size_t stored =
            Store(Serialize(binary, *input2), out, max_out_size);
        stored > 0 || input2->ByteSizeLong() == 0) {
      return stored;
    }
  }
  return 0;
}

void RegisterPostProcessor(const protobuf::Descriptor* descriptor,
                           Mutator::PostProcess callback) {
  TheMutator().RegisterPostProcessor(descriptor, std::move(callback));
}

}  // namespace protobuf_mutator::libfuzzer
