// The protobuf mutator (fuzz/proto_mutator): determinism per seed, the size
// bound, every field kind reachable, crossover, post-processors, and the
// entry points' binary and text input parsing.
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "src/libfuzzer/libfuzzer_macro.h"
#include "src/mutator.h"
#include "tests/fuzz/all_field_kinds.pb.h"

namespace {

using mqlab::fuzz::testing::AllFieldKinds;
using mqlab::fuzz::testing::Inner;
using protobuf_mutator::Mutator;

std::string MutatedChain(uint32_t seed, int steps) {
  Mutator mutator;
  mutator.Seed(seed);
  AllFieldKinds message;
  std::string chain;
  for (int i = 0; i < steps; ++i) {
    mutator.Mutate(&message, 1000);
    chain += message.SerializeAsString();
  }
  return chain;
}

TEST(ProtoMutatorTest, SameSeedSameMutations) {
  EXPECT_EQ(MutatedChain(7, 200), MutatedChain(7, 200));
  EXPECT_NE(MutatedChain(7, 200), MutatedChain(8, 200));
}

TEST(ProtoMutatorTest, SizeBoundIsHonoured) {
  Mutator mutator;
  mutator.Seed(1);
  AllFieldKinds message;
  for (int i = 0; i < 5000; ++i) {
    mutator.Mutate(&message, 64);
    ASSERT_LE(message.ByteSizeLong(), 64u) << "after mutation " << i;
  }
  // A message already over the bound is cut down.
  for (int i = 0; i < 100; ++i) message.add_repeated_bytes("0123456789");
  const size_t oversize = message.ByteSizeLong();
  mutator.Mutate(&message, 64);
  EXPECT_LT(message.ByteSizeLong(), oversize);
  for (int i = 0; i < 200 && message.ByteSizeLong() > 64; ++i) {
    mutator.Mutate(&message, 64);
  }
  EXPECT_LE(message.ByteSizeLong(), 64u);
}

TEST(ProtoMutatorTest, EveryFieldKindChanges) {
  Mutator mutator;
  mutator.Seed(3);
  AllFieldKinds message;
  std::set<int> changed;  // Field numbers whose value differed after a step.
  const auto* descriptor = AllFieldKinds::descriptor();
  for (int i = 0; i < 20000; ++i) {
    AllFieldKinds before = message;
    mutator.Mutate(&message, 4000);
    for (int f = 0; f < descriptor->field_count(); ++f) {
      const auto* field = descriptor->field(f);
      AllFieldKinds a = before, b = message;
      // Compare the one field: clear every other.
      for (int g = 0; g < descriptor->field_count(); ++g) {
        if (g == f) continue;
        a.GetReflection()->ClearField(&a, descriptor->field(g));
        b.GetReflection()->ClearField(&b, descriptor->field(g));
      }
      if (a.SerializeAsString() != b.SerializeAsString()) {
        changed.insert(field->number());
      }
    }
  }
  for (int f = 0; f < descriptor->field_count(); ++f) {
    EXPECT_TRUE(changed.contains(descriptor->field(f)->number()))
        << descriptor->field(f)->name() << " never changed";
  }
  // Nested fields change too.
  EXPECT_TRUE(message.has_message_value() ||
              message.repeated_message_size() > 0);
}

TEST(ProtoMutatorTest, CrossOverMixesBothParents) {
  AllFieldKinds first, second;
  for (int i = 0; i < 20; ++i) {
    first.add_repeated_uint32(100 + i);
    second.add_repeated_uint32(200 + i);
  }
  first.set_string_value("first");
  second.set_bytes_value("second");
  Mutator mutator;
  mutator.Seed(5);
  AllFieldKinds child = second;
  mutator.CrossOver(first, &child, 10000);
  int from_first = 0, from_second = 0;
  for (uint32_t value : child.repeated_uint32()) {
    (value < 200 ? from_first : from_second)++;
  }
  EXPECT_GT(from_first, 0);
  EXPECT_EQ(from_second, 20);  // The second parent's own elements stay.
  EXPECT_EQ(child.bytes_value(), "second");
  // Each parent's order is kept.
  std::vector<uint32_t> firsts;
  for (uint32_t value : child.repeated_uint32()) {
    if (value < 200) firsts.push_back(value);
  }
  EXPECT_TRUE(std::is_sorted(firsts.begin(), firsts.end()));
  // Over many seeds the singular field comes from either parent.
  std::set<std::string> strings;
  for (uint32_t seed = 0; seed < 20; ++seed) {
    mutator.Seed(seed);
    AllFieldKinds other = second;
    other.set_string_value("second");
    mutator.CrossOver(first, &other, 10000);
    strings.insert(other.string_value());
  }
  EXPECT_EQ(strings, (std::set<std::string>{"first", "second"}));
  // The bound holds for a crossover too.
  mutator.Seed(6);
  AllFieldKinds small = second;
  mutator.CrossOver(first, &small, 30);
  EXPECT_LE(small.ByteSizeLong(), 30u);
}

TEST(ProtoMutatorTest, PostProcessorsRunOnEveryMessageOfTheirType) {
  Mutator mutator;
  mutator.Seed(9);
  mutator.RegisterPostProcessor(
      Inner::descriptor(),
      [](google::protobuf::Message* message, unsigned int) {
        static_cast<Inner*>(message)->set_number(42);
      });
  AllFieldKinds message;
  int inner_seen = 0;
  for (int i = 0; i < 2000; ++i) {
    mutator.Mutate(&message, 2000);
    for (const Inner& inner : message.repeated_message()) {
      ASSERT_EQ(inner.number(), 42u);
      ++inner_seen;
    }
    if (message.has_message_value()) {
      ASSERT_EQ(message.message_value().number(), 42u);
    }
  }
  EXPECT_GT(inner_seen, 0);
}

TEST(ProtoMutatorTest, LoadsBinaryAndTextInputs) {
  AllFieldKinds message;
  message.set_uint32_value(17);
  message.add_repeated_bytes("ab");
  const std::string binary = message.SerializeAsString();
  std::string text;
  google::protobuf::TextFormat::PrintToString(message, &text);

  AllFieldKinds loaded;
  const auto bytes = [](const std::string& s) {
    return reinterpret_cast<const uint8_t*>(s.data());
  };
  ASSERT_TRUE(protobuf_mutator::libfuzzer::LoadProtoInput(
      true, bytes(binary), binary.size(), &loaded));
  EXPECT_EQ(loaded.SerializeAsString(), binary);
  ASSERT_TRUE(protobuf_mutator::libfuzzer::LoadProtoInput(
      false, bytes(text), text.size(), &loaded));
  EXPECT_EQ(loaded.SerializeAsString(), binary);
  const std::string junk = "uint32_value: \"not a number\"";
  EXPECT_FALSE(protobuf_mutator::libfuzzer::LoadProtoInput(
      false, bytes(junk), junk.size(), &loaded));
}

TEST(ProtoMutatorTest, CustomMutatorKeepsWithinMaxSize) {
  AllFieldKinds scratch;
  std::vector<uint8_t> buffer(64);
  size_t size = 0;
  for (unsigned seed = 0; seed < 500; ++seed) {
    size = protobuf_mutator::libfuzzer::CustomProtoMutator(
        true, buffer.data(), size, buffer.size(), seed, &scratch);
    ASSERT_LE(size, buffer.size());
    ASSERT_TRUE(protobuf_mutator::libfuzzer::LoadProtoInput(true, buffer.data(),
                                                            size, &scratch));
  }
  std::vector<uint8_t> text(256);
  size = 0;
  for (unsigned seed = 0; seed < 200; ++seed) {
    size = protobuf_mutator::libfuzzer::CustomProtoMutator(
        false, text.data(), size, text.size(), seed, &scratch);
    ASSERT_TRUE(protobuf_mutator::libfuzzer::LoadProtoInput(false, text.data(),
                                                            size, &scratch));
  }
}

}  // namespace
