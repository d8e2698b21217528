package dev.bindspace.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.bindspace.MediaKind;
import dev.bindspace.Modality;
import dev.bindspace.SearchHit;
import dev.bindspace.ZeroShotClassifier;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs the quick start and checks that what it prints as found is actually found. */
class CoreQuickStartTest {
  private static CoreQuickStart.Report report;
  private static String output;

  @BeforeAll
  static void runQuickStart() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      report = CoreQuickStart.run(out);
    }
    output = bytes.toString(StandardCharsets.UTF_8);
  }

  private static List<String> ids(List<SearchHit> hits) {
    return hits.stream().map(SearchHit::id).collect(Collectors.toList());
  }

  @Test
  void should_say_that_the_vectors_are_generated_not_a_trained_model() {
    assertThat(output).contains("GENERATED vectors").contains("This tour needs no model");
  }

  @Test
  void should_find_the_dog_image_sound_and_video_first_for_dog_text() {
    assertThat(ids(report.crossModal()).subList(0, 3)).containsExactlyInAnyOrder("dog.jpg", "dog.wav", "dog.mp4");
    assertThat(report.crossModal()).extracting(SearchHit::modality).containsOnly(Modality.VISION, Modality.AUDIO);
    assertThat(report.crossModal()).filteredOn(h -> h.id().equals("dog.mp4"))
        .extracting(SearchHit::media).containsExactly(MediaKind.VIDEO);
  }

  @Test
  void should_rank_the_dog_caption_first_when_no_target_modality_is_set() {
    assertThat(report.bestWithoutTargets().id()).isEqualTo("dog.txt");
    assertThat(report.bestWithoutTargets().score()).isGreaterThan(report.crossModal().get(0).score());
  }

  @Test
  void should_return_only_animals_and_the_rainy_dog_first_when_filtered() {
    assertThat(report.filtered()).hasSize(3)
        .allSatisfy(h -> assertThat(h.metadata()).containsEntry("collection", "animals"));
    assertThat(report.filtered().get(0).id()).isEqualTo("dog-in-rain.jpg");
    assertThat(report.filtered().get(0).score()).isGreaterThan(report.filtered().get(1).score() + 0.2f);
  }

  @Test
  void should_find_the_dog_in_rain_image_from_dog_image_plus_rain_sound() {
    assertThat(report.arithmetic().get(0).id()).isEqualTo("dog-in-rain.jpg");
    assertThat(report.arithmetic()).extracting(SearchHit::modality).containsOnly(Modality.VISION);
  }

  @Test
  void should_answer_every_batch_prompt_with_the_video_of_its_concept() {
    List<String> best = report.batch().stream().map(hits -> hits.get(0).id()).collect(Collectors.toList());
    assertThat(best).containsExactly("dog.mp4", "cat.mp4", "car.mp4", "bird.mp4", "rain.mp4", "bell.mp4");
    assertThat(report.batch()).allSatisfy(hits -> assertThat(hits.get(0).media()).isEqualTo(MediaKind.VIDEO));
  }

  @Test
  void should_classify_the_bell_sound_as_bell() {
    assertThat(report.zeroShot().get(0).label()).isEqualTo("bell");
    assertThat(report.zeroShot().get(0).probability()).isGreaterThan(0.99);
    assertThat(report.zeroShot().stream().mapToDouble(ZeroShotClassifier.Prediction::probability).sum()).isCloseTo(1.0,
        offset(1e-9));
  }

  @Test
  void should_put_the_vision_text_softmax_mass_on_the_diagonal() {
    double[][] m = report.visionTextSoftmax();
    assertThat(m).hasNumberOfRows(CoreQuickStart.CONCEPTS.size());
    for (int i = 0; i < m.length; i++) {
      assertThat(Arrays.stream(m[i]).sum()).as("row %d sum", i).isCloseTo(1.0, offset(1e-9));
      assertThat(m[i][i]).as("row %d diagonal", i).isGreaterThan(0.99);
    }
  }

  @Test
  void should_return_the_same_hits_after_save_and_reopen() {
    assertThat(report.reopenedSize()).isEqualTo(26);
    assertThat(report.reopenedCrossModal()).isEqualTo(report.crossModal());
    assertThat(output).contains("search 1 returns the same hits");
  }

  @Test
  void should_print_the_same_output_on_every_run() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      CoreQuickStart.run(out);
    }
    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(output);
  }
}
