#include "broker/subscription_index.h"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/random.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/broker/topic_oracle.h"

namespace mqlab::broker {
namespace {

using testing::AllFilters;
using testing::AllTopics;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::OracleMatches;

constexpr SubscriptionOptions kQos0 = {0, false, false};
constexpr SubscriptionOptions kQos1 = {1, false, false};

std::vector<SubscriberMatch> Match(
    const SubscriptionIndex& index, std::string_view topic,
    std::optional<SubscriberId> publisher = std::nullopt) {
  std::vector<SubscriberMatch> out;
  index.Match(topic, publisher, &out);
  return out;
}

SubscriberMatch At(SubscriberId subscriber, uint8_t qos,
                   bool retain_as_published = false) {
  return {subscriber, qos, retain_as_published};
}

TEST(SubscriptionIndexTest, MatchesFiltersLikeMqtt) {
  SubscriptionIndex index(100);
  EXPECT_EQ(index.Add(1, "vehicles/+/position", kQos1),
            SubscriptionIndex::AddResult::kAdded);
  index.Add(2, "vehicles/vehicle01/#", kQos0);
  index.Add(3, "vehicles/vehicle01/position", kQos1);
  index.Add(4, "#", kQos0);
  index.Add(5, "vehicles", kQos0);
  EXPECT_THAT(Match(index, "vehicles/vehicle01/position"),
              ElementsAre(At(1, 1), At(2, 0), At(3, 1), At(4, 0)));
  EXPECT_THAT(Match(index, "vehicles/vehicle02/position"),
              ElementsAre(At(1, 1), At(4, 0)));
  // '#' matches its parent level.
  EXPECT_THAT(Match(index, "vehicles/vehicle01"),
              ElementsAre(At(2, 0), At(4, 0)));
  EXPECT_THAT(Match(index, "vehicles"), ElementsAre(At(4, 0), At(5, 0)));
  EXPECT_THAT(Match(index, "trucks/x"), ElementsAre(At(4, 0)));
  EXPECT_EQ(index.size(), 5u);
}

TEST(SubscriptionIndexTest, EmptyLevelsAreLevels) {
  SubscriptionIndex index(100);
  index.Add(1, "+/+", kQos0);
  index.Add(2, "/#", kQos0);
  index.Add(3, "a//b", kQos0);
  EXPECT_THAT(Match(index, "/"), ElementsAre(At(1, 0), At(2, 0)));
  EXPECT_THAT(Match(index, "a//b"), ElementsAre(At(3, 0)));
  EXPECT_THAT(Match(index, "/x/y"), ElementsAre(At(2, 0)));
}

TEST(SubscriptionIndexTest, DollarTopicsSkipFirstLevelWildcards) {
  // [MQTT-4.7.2-1]
  SubscriptionIndex index(100);
  index.Add(1, "#", kQos0);
  index.Add(2, "+/uptime", kQos0);
  index.Add(3, "$SYS/#", kQos0);
  index.Add(4, "$SYS/+", kQos0);
  EXPECT_THAT(Match(index, "$SYS/uptime"), ElementsAre(At(3, 0), At(4, 0)));
  EXPECT_THAT(Match(index, "SYS/uptime"), ElementsAre(At(1, 0), At(2, 0)));
  EXPECT_THAT(Match(index, "$SYS"), ElementsAre(At(3, 0)));
}

TEST(SubscriptionIndexTest, DollarLevelsBeyondTheFirstAreOrdinary) {
  SubscriptionIndex index(100);
  index.Add(1, "a/+", kQos0);
  index.Add(2, "a/#", kQos0);
  index.Add(3, "+/+", kQos0);
  index.Add(4, "$a/+", kQos0);
  index.Add(5, "$a/#", kQos0);
  EXPECT_THAT(Match(index, "a/$b"), ElementsAre(At(1, 0), At(2, 0), At(3, 0)));
  EXPECT_THAT(Match(index, "$a/$b"), ElementsAre(At(4, 0), At(5, 0)));
  EXPECT_THAT(Match(index, "$a"), ElementsAre(At(5, 0)));
  EXPECT_THAT(Match(index, "$b/x"), IsEmpty());
}

TEST(SubscriptionIndexTest, SplitsTopicsOfEveryShapeIntoTheirLevels) {
  // Levels of 0 to 17 bytes, one to three of them: every position of a '/'
  // relative to the eight-byte words Match scans, and every topic length
  // around them. Each topic is its own subscriber's exact filter.
  std::set<std::string> shapes;
  for (size_t first = 0; first <= 17; ++first) {
    const std::string a(first, 'a');
    if (!a.empty()) shapes.insert(a);
    for (size_t second = 0; second <= 17; second += (second < 9 ? 1 : 8)) {
      const std::string b(second, 'b');
      shapes.insert(a + "/" + b);
      shapes.insert(a + "/" + b + "/c");
      shapes.insert(a + "//" + b);
    }
  }
  const std::vector<std::string> topics(shapes.begin(), shapes.end());
  SubscriptionIndex index(10'000);
  for (size_t i = 0; i < topics.size(); ++i) {
    ASSERT_NE(index.Add(static_cast<SubscriberId>(i), topics[i], kQos0),
              SubscriptionIndex::AddResult::kFull);
  }
  for (size_t i = 0; i < topics.size(); ++i) {
    const std::vector<SubscriberMatch> matches = Match(index, topics[i]);
    ASSERT_EQ(matches.size(), 1u) << topics[i];
    EXPECT_EQ(topics[matches[0].subscriber], topics[i]);
    EXPECT_THAT(Match(index, topics[i] + "x"), IsEmpty()) << topics[i];
  }
}

TEST(SubscriptionIndexTest, LongLevelsMatchExactly) {
  // Levels of more than 12 bytes are kept apart from the node table.
  const std::string device(40, 'd');
  const std::string twin = std::string(39, 'd') + "e";
  SubscriptionIndex index(100);
  index.Add(1, "fleet/" + device + "/command/#", kQos1);
  index.Add(2, "fleet/" + twin + "/command/#", kQos1);
  index.Add(3, "fleet/+/telemetry-of-the-engine", kQos0);
  EXPECT_THAT(Match(index, "fleet/" + device + "/command/x"),
              ElementsAre(At(1, 1)));
  EXPECT_THAT(Match(index, "fleet/" + twin + "/command"),
              ElementsAre(At(2, 1)));
  EXPECT_THAT(Match(index, "fleet/" + device + "x/command"), IsEmpty());
  EXPECT_THAT(Match(index, "fleet/" + device + "/telemetry-of-the-engine"),
              ElementsAre(At(3, 0)));
  EXPECT_THAT(Match(index, "fleet/" + device + "/telemetry-of-the-engin"),
              IsEmpty());
  EXPECT_TRUE(index.Remove(1, "fleet/" + device + "/command/#"));
  EXPECT_THAT(Match(index, "fleet/" + device + "/command/x"), IsEmpty());
  EXPECT_THAT(Match(index, "fleet/" + twin + "/command/x"),
              ElementsAre(At(2, 1)));
}

TEST(SubscriptionIndexTest, ANodesSubscriptionsMoveBetweenInlineAndLists) {
  // One subscription per node is kept in the node; a second moves both to
  // lists, and the last one left moves back, its options intact.
  SubscriptionIndex index(100);
  index.Add(5, "a", {1, false, true});
  index.Add(3, "a/#", {0, false, false});
  EXPECT_THAT(Match(index, "a"), ElementsAre(At(3, 0), At(5, 1, true)));
  index.Add(9, "a", {0, false, false});
  EXPECT_THAT(Match(index, "a"),
              ElementsAre(At(3, 0), At(5, 1, true), At(9, 0)));
  EXPECT_TRUE(index.Remove(5, "a"));
  EXPECT_TRUE(index.Remove(9, "a"));
  EXPECT_THAT(Match(index, "a"), ElementsAre(At(3, 0)));
  EXPECT_THAT(Match(index, "a/b"), ElementsAre(At(3, 0)));
  EXPECT_EQ(index.Add(3, "a/#", kQos1),
            SubscriptionIndex::AddResult::kReplaced);
  EXPECT_FALSE(index.Remove(3, "a"));
  EXPECT_THAT(Match(index, "a/b"), ElementsAre(At(3, 1)));
  EXPECT_TRUE(index.Remove(3, "a/#"));
  EXPECT_EQ(index.node_count(), 1u);
}

TEST(SubscriptionIndexTest, ResultsAreInSubscriberOrderWhateverTheHistory) {
  // Subscribers reach a topic through exact, '+' and '#' filters; the result
  // lists them in ascending order however they were added and removed.
  const std::vector<std::string> filters = {"s/a/b", "s/+/b", "s/a/#",
                                            "s/#",   "+/a/+", "#"};
  const std::vector<std::string> topics = {"s/a/b", "s/x/b", "s/a", "t/a/c"};
  std::vector<std::pair<SubscriberId, std::string>> subscriptions;
  Random pick(99);
  for (SubscriberId subscriber = 0; subscriber < 200; ++subscriber) {
    for (const std::string& filter : filters) {
      if (pick.Chance(0.3)) subscriptions.emplace_back(subscriber, filter);
    }
  }
  auto build = [&](uint64_t seed) {
    auto index = std::make_unique<SubscriptionIndex>(10'000);
    // The same subscriptions in a seeded order, some added, removed and
    // added again.
    Random random(seed);
    std::vector<std::pair<SubscriberId, std::string>> added = subscriptions;
    for (size_t i = added.size(); i > 1; --i) {
      std::swap(added[i - 1], added[random.Below(i)]);
    }
    for (const auto& [subscriber, filter] : added) {
      index->Add(subscriber, filter, {1, false, false});
      if (random.Chance(0.2)) {
        index->Remove(subscriber, filter);
        index->Add(subscriber, filter, {1, false, false});
      }
    }
    return index;
  };
  const auto first = build(1);
  const auto second = build(2);
  for (const std::string& topic : topics) {
    const std::vector<SubscriberMatch> matches = Match(*first, topic);
    EXPECT_FALSE(matches.empty());
    for (size_t i = 1; i < matches.size(); ++i) {
      ASSERT_LT(matches[i - 1].subscriber, matches[i].subscriber) << topic;
    }
    EXPECT_EQ(matches, Match(*second, topic)) << topic;
  }
}

TEST(SubscriptionIndexTest,
     OverlappingSubscriptionsGiveOneMatchAtTheHighestQos) {
  SubscriptionIndex index(100);
  index.Add(7, "a/#", {0, false, false});
  index.Add(7, "a/+", {1, false, true});
  index.Add(7, "a/b", {0, false, false});
  index.Add(3, "a/b", {0, false, false});
  EXPECT_THAT(Match(index, "a/b"), ElementsAre(At(3, 0), At(7, 1, true)));
}

TEST(SubscriptionIndexTest, NoLocalSkipsThePublishersOwnSubscriptions) {
  SubscriptionIndex index(100);
  index.Add(1, "chat/#", {1, true, false});
  index.Add(1, "chat/+", {0, false, false});
  index.Add(2, "chat/#", {1, true, false});
  // Subscriber 1's No Local subscription is skipped, its other one is not.
  EXPECT_THAT(Match(index, "chat/room", 1), ElementsAre(At(1, 0), At(2, 1)));
  EXPECT_THAT(Match(index, "chat/room", 2), ElementsAre(At(1, 1)));
  EXPECT_THAT(Match(index, "chat/room"), ElementsAre(At(1, 1), At(2, 1)));
}

TEST(SubscriptionIndexTest, RepeatedSubscribeReplacesOptions) {
  SubscriptionIndex index(100);
  index.Add(1, "a", kQos1);
  EXPECT_EQ(index.Add(1, "a", kQos0), SubscriptionIndex::AddResult::kReplaced);
  EXPECT_EQ(index.size(), 1u);
  EXPECT_THAT(Match(index, "a"), ElementsAre(At(1, 0)));
}

TEST(SubscriptionIndexTest, RemovalPrunesEmptyNodes) {
  SubscriptionIndex index(100);
  EXPECT_EQ(index.node_count(), 1u);
  index.Add(1, "a/b/c", kQos0);
  index.Add(2, "a/+/#", kQos0);
  index.Add(3, "a/b/c", kQos0);
  EXPECT_EQ(index.node_count(), 5u);  // root, a, b, c, +
  EXPECT_FALSE(index.Remove(1, "a/b"));
  EXPECT_FALSE(index.Remove(9, "a/b/c"));
  EXPECT_FALSE(index.Remove(1, "x/y"));
  EXPECT_TRUE(index.Remove(1, "a/b/c"));
  EXPECT_FALSE(index.Remove(1, "a/b/c"));
  EXPECT_EQ(index.node_count(), 5u);  // Subscriber 3 still needs c.
  EXPECT_TRUE(index.Remove(3, "a/b/c"));
  EXPECT_EQ(index.node_count(), 3u);
  EXPECT_TRUE(index.Remove(2, "a/+/#"));
  EXPECT_EQ(index.node_count(), 1u);
  EXPECT_EQ(index.size(), 0u);
  EXPECT_THAT(Match(index, "a/b/c"), IsEmpty());
}

TEST(SubscriptionIndexTest, ALevelWithManyChildrenMatchesAndPrunes) {
  // The node table grows while the devices subscribe and shrinks while they
  // leave: matches stay right throughout, and no node is left behind.
  SubscriptionIndex index(1000);
  constexpr SubscriberId kDevices = 40;
  for (SubscriberId device = 0; device < kDevices; ++device) {
    const std::string id = "d" + std::to_string(device);
    index.Add(device, "vehicles/" + id + "/command/#", kQos1);
    index.Add(device, "vehicles/" + id + "/config", kQos0);
    for (SubscriberId earlier = 0; earlier <= device; ++earlier) {
      const std::string topic =
          "vehicles/d" + std::to_string(earlier) + "/command/unlock";
      ASSERT_THAT(Match(index, topic), ElementsAre(At(earlier, 1))) << topic;
    }
  }
  EXPECT_EQ(index.node_count(), 2u + 3u * kDevices);
  for (SubscriberId device = 0; device < kDevices; ++device) {
    const std::string id = "d" + std::to_string(device);
    EXPECT_TRUE(index.Remove(device, "vehicles/" + id + "/command/#"));
    EXPECT_THAT(Match(index, "vehicles/" + id + "/config"),
                ElementsAre(At(device, 0)));
    EXPECT_TRUE(index.Remove(device, "vehicles/" + id + "/config"));
    EXPECT_THAT(Match(index, "vehicles/" + id + "/config"), IsEmpty());
    if (device + 1 < kDevices) {
      const std::string next = "vehicles/d" + std::to_string(device + 1);
      EXPECT_THAT(Match(index, next + "/config"),
                  ElementsAre(At(device + 1, 0)));
    }
  }
  EXPECT_EQ(index.node_count(), 1u);
  EXPECT_EQ(index.size(), 0u);
}

TEST(SubscriptionIndexTest, AFullIndexRefusesNewSubscriptionsAndLeaksNoNodes) {
  SubscriptionIndex index(2);
  EXPECT_EQ(index.Add(1, "a", kQos0), SubscriptionIndex::AddResult::kAdded);
  EXPECT_EQ(index.Add(2, "a", kQos0), SubscriptionIndex::AddResult::kAdded);
  const size_t nodes = index.node_count();
  EXPECT_EQ(index.Add(3, "x/y/z", kQos0), SubscriptionIndex::AddResult::kFull);
  EXPECT_EQ(index.Add(3, "a", kQos0), SubscriptionIndex::AddResult::kFull);
  EXPECT_EQ(index.node_count(), nodes);
  // Replacing is not adding.
  EXPECT_EQ(index.Add(2, "a", kQos1), SubscriptionIndex::AddResult::kReplaced);
  EXPECT_TRUE(index.Remove(1, "a"));
  EXPECT_EQ(index.Add(3, "x/y/z", kQos0), SubscriptionIndex::AddResult::kAdded);
  EXPECT_THAT(Match(index, "x/y/z"), ElementsAre(At(3, 0)));
}

TEST(SubscriptionIndexTest, MatchReusesTheOutputVector) {
  SubscriptionIndex index(100);
  index.Add(1, "a", kQos0);
  std::vector<SubscriberMatch> out = {At(99, 2)};
  index.Match("b", std::nullopt, &out);
  EXPECT_THAT(out, IsEmpty());
  index.Match("a", std::nullopt, &out);
  EXPECT_THAT(out, ElementsAre(At(1, 0)));
}

// Random adds and removes over a small alphabet of levels, checked after each
// step against a model that applies the specification's rules to every
// subscription: same subscribers, same order, same merged options.
TEST(SubscriptionIndexTest, AgreesWithBruteForceUnderRandomChanges) {
  // One level longer than a node holds inline.
  const std::string long_level = "thirteen-byte";
  const std::vector<std::string> filters =
      AllFilters({"a", "$a", "", long_level}, 3);
  std::vector<std::string> topics = AllTopics({"a", "b", "$a", ""}, 4);
  for (std::string& topic : AllTopics({"a", "$a", long_level}, 3)) {
    if (topic.find(long_level) != std::string::npos) {
      topics.push_back(std::move(topic));
    }
  }
  constexpr SubscriberId kSubscribers = 12;
  Random random(7);
  SubscriptionIndex index(1'000'000);
  std::map<std::pair<SubscriberId, std::string>, SubscriptionOptions> model;
  std::vector<SubscriberMatch> out;
  for (int step = 0; step < 1500; ++step) {
    const auto subscriber =
        static_cast<SubscriberId>(random.Below(kSubscribers));
    const std::string& filter = filters[random.Below(filters.size())];
    if (random.Chance(0.6)) {
      const SubscriptionOptions options = {
          static_cast<uint8_t>(random.Below(3)), random.Chance(0.3),
          random.Chance(0.3)};
      const bool existed = model.contains({subscriber, filter});
      model[{subscriber, filter}] = options;
      ASSERT_EQ(index.Add(subscriber, filter, options),
                existed ? SubscriptionIndex::AddResult::kReplaced
                        : SubscriptionIndex::AddResult::kAdded);
    } else {
      ASSERT_EQ(index.Remove(subscriber, filter),
                model.erase({subscriber, filter}) == 1);
    }
    ASSERT_EQ(index.size(), model.size());
    if (step % 50 != 0) continue;
    for (const std::string& topic : topics) {
      const std::optional<SubscriberId> publisher =
          random.Chance(0.5)
              ? std::optional<SubscriberId>(
                    static_cast<SubscriberId>(random.Below(kSubscribers)))
              : std::nullopt;
      std::map<SubscriberId, SubscriberMatch> expected;
      for (const auto& [key, options] : model) {
        const auto& [id, subscription_filter] = key;
        if (!OracleMatches(subscription_filter, topic)) continue;
        if (options.no_local && publisher == id) continue;
        auto [it, inserted] = expected.emplace(
            id, At(id, options.maximum_qos, options.retain_as_published));
        if (!inserted) {
          it->second.maximum_qos =
              std::max(it->second.maximum_qos, options.maximum_qos);
          it->second.retain_as_published |= options.retain_as_published;
        }
      }
      std::vector<SubscriberMatch> expected_list;
      for (const auto& [id, match] : expected) expected_list.push_back(match);
      index.Match(topic, publisher, &out);
      ASSERT_EQ(out, expected_list) << "topic " << topic;
    }
  }
  for (const auto& [key, options] : model) {
    ASSERT_TRUE(index.Remove(key.first, key.second));
  }
  EXPECT_EQ(index.size(), 0u);
  EXPECT_EQ(index.node_count(), 1u);
}

}  // namespace
}  // namespace mqlab::broker
