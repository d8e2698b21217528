package dev.bindspace.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bindspace.EncodingException;
import dev.bindspace.MediaKind;
import dev.bindspace.Modality;
import dev.bindspace.onnx.EmbeddingResult;
import dev.bindspace.onnx.OnnxEmbeddingModel;
import dev.bindspace.onnx.OnnxEncoder;
import dev.bindspace.onnx.OnnxRuntimeOptions;
import dev.bindspace.onnx.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * End to end through {@link OnnxEmbeddingModel} and the SPI: the onnx module's stand-in bundle
 * (ImageBind's signatures: image 3×224, depth/thermal 1×224 with {@code tensor} profiles) and this
 * module's {@code mini128} bundle (image 3×128, depth/thermal 1×112 with {@code image} profiles). The
 * encoders must give exactly what the generic tensor encoder gives for the preprocessed tensors.
 */
class VisionEncoderTest {
  static final Path STANDIN = Path.of("../onnx/src/test/resources/bundles/standin");
  static final Path GOLDENS = OwnGoldenParityTest.DIR;
  static final Path BMP = GOLDENS.resolve("inputs/b01_bmp24_80x60.bmp");
  static final Path WEBP = GOLDENS.resolve("inputs/b04_webp_lossy_q80_80x60.webp");
  static final Path DEPTH_PNG = GOLDENS.resolve("inputs/d01_depth_mm_80x60.png");

  static Path mini() throws Exception {
    return Path.of(VisionEncoderTest.class.getResource("/bundles/mini128/bundle.json").toURI()).getParent();
  }

  @Test
  void should_serve_vision_depth_and_thermal_of_the_standin_bundle() throws Exception {
    assumeTrue(Files.isDirectory(STANDIN), "the onnx module's stand-in bundle is not at " + STANDIN.toAbsolutePath());
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(STANDIN, OnnxRuntimeOptions.builder().maxBatchSize(2).build())) {
      assertThat(model.encoder(Modality.VISION)).isInstanceOf(VisionEncoder.class);
      assertThat(model.encoder(Modality.DEPTH)).isInstanceOf(DepthEncoder.class);
      assertThat(model.encoder(Modality.THERMAL)).isInstanceOf(ThermalEncoder.class);

      OnnxEncoder<VisionInput> vision = VisionEncoder.of(model);
      ImagePreprocessor pre = ((VisionEncoder) vision).preprocessor();
      assertThat(pre.profile().size()).isEqualTo(224);
      RgbImage bmp = ImageDecoder.defaults().decode(BMP);
      byte[] webpBytes = Files.readAllBytes(WEBP);
      // 5 inputs with batch size 2: chunking must keep the order
      List<VisionInput> inputs = List.of(VisionInput.file(BMP), VisionInput.bytes(webpBytes, "x.webp"),
          VisionInput.rgb(bmp), VisionInput.file(WEBP), VisionInput.file(BMP));
      List<EmbeddingResult> got = vision.encodeAll(inputs);
      assertThat(got).hasSize(5);
      RgbImage webp = ImageDecoder.defaults().decode(WEBP);
      RgbImage[] sources = {bmp, webp, bmp, webp, bmp};
      for (int i = 0; i < 5; i++) {
        EmbeddingResult want = model.tensorEncoder(MediaKind.IMAGE)
            .encode(Tensor.ofFloats(pre.shape(), pre.preprocess(sources[i]).tensor()));
        assertThat(got.get(i).joint().toArray()).as("input %d", i).containsExactly(want.joint().toArray());
        assertThat(got.get(i).joint().media()).isEqualTo(MediaKind.IMAGE);
      }

      // with the shared goldens: the final tensor is ImageBind's own input.npy
      var shared = TestData.shared(TestData.GOLDENS);
      if (shared.isPresent()) {
        Path png = shared.get().resolve("inputs/images/a01_rgb_landscape_469x280.png");
        float[] golden = Npy.read(shared.get().resolve("vision/a01_rgb_landscape_469x280.input.npy")).floats();
        EmbeddingResult want = model.tensorEncoder(MediaKind.IMAGE).encode(Tensor.ofFloats(pre.shape(), golden));
        assertThat(vision.encode(VisionInput.file(png)).raw().toArray()).containsExactly(want.raw().toArray());
      }

      OnnxEncoder<DepthInput> depth = DepthEncoder.of(model);
      DepthInput d = DepthInput.raw16(DEPTH_PNG, 1000.0, DepthInput.Raw16Layout.PLAIN, DepthCamera.KINECT_NYU);
      float[] dt = DepthPreprocessor.of(224, 0f, 1f).tensor(d);
      assertThat(depth.encode(d).joint().toArray()).containsExactly(
          model.tensorEncoder(MediaKind.DEPTH).encode(Tensor.ofFloats(new long[] {1, 224, 224}, dt)).joint().toArray());

      OnnxEncoder<ThermalInput> thermal = ThermalEncoder.of(model);
      ThermalInput t = ThermalInput.file(BMP);
      float[] tt = ((ThermalEncoder) thermal).tensor(t);
      assertThat(thermal.encode(t).joint().toArray()).containsExactly(
          model.tensorEncoder(MediaKind.THERMAL).encode(Tensor.ofFloats(new long[] {1, 224, 224}, tt)).joint().toArray());
      // thermal = the one-channel still-image path with the documented constants
      ImagePreprocessor grey = ImagePreprocessor.of(TestData.imageBindProfile(1, 224));
      assertThat(tt).containsExactly(grey.preprocess(bmp).tensor());
    }
  }

  @Test
  void should_read_every_constant_from_the_profile() throws Exception {
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(mini())) {
      VisionEncoder vision = (VisionEncoder) VisionEncoder.of(model);
      assertThat(vision.viewShape()).containsExactly(3, 128, 128);
      RgbImage bmp = ImageDecoder.defaults().decode(BMP);
      ImagePreprocessor pre = ImagePreprocessor.of(TestData.imageBindProfile(3, 128));
      assertThat(vision.embed(VisionInput.rgb(bmp)).toArray()).containsExactly(model.tensorEncoder(MediaKind.IMAGE)
          .encode(Tensor.ofFloats(pre.shape(), pre.preprocess(bmp).tensor())).joint().toArray());

      DepthEncoder depth = (DepthEncoder) DepthEncoder.of(model);
      assertThat(depth.preprocessor().size()).isEqualTo(112);
      float[] metres = new float[60 * 90];
      for (int i = 0; i < metres.length; i++) {
        metres[i] = 0.5f + (i % 90) * 0.05f;
      }
      DepthInput d = DepthInput.metres(90, 60, metres, DepthCamera.of(0.095, 600));
      float[] dt = DepthPreprocessor.of(112, 0.5f, 2.0f).tensor(d);
      assertThat(depth.embed(d).toArray()).containsExactly(model.tensorEncoder(MediaKind.DEPTH)
          .encode(Tensor.ofFloats(new long[] {1, 112, 112}, dt)).joint().toArray());

      ThermalEncoder thermal = (ThermalEncoder) ThermalEncoder.of(model);
      assertThat(thermal.preprocessor().profile().mean()).containsExactly(0.45);
      byte[] grey = new byte[70 * 50];
      for (int i = 0; i < grey.length; i++) {
        grey[i] = (byte) (i * 7);
      }
      assertThat(thermal.tensor(ThermalInput.grey(70, 50, grey))).hasSize(112 * 112);
    }
  }

  @Test
  void should_name_the_bad_input_in_the_error() throws Exception {
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(mini())) {
      OnnxEncoder<VisionInput> vision = VisionEncoder.of(model);
      List<VisionInput> inputs = List.of(VisionInput.file(BMP), VisionInput.bytes(new byte[] {1, 2, 3}, "broken.png"));
      assertThatThrownBy(() -> vision.embedAll(inputs)).isInstanceOf(ImageDecodingException.class)
          .isInstanceOf(EncodingException.class).hasMessageContaining("broken.png")
          .hasMessageContaining("unsupported image format");
      assertThatThrownBy(() -> vision.embed(VisionInput.file(Path.of("no/such/file.jpg"))))
          .isInstanceOf(ImageDecodingException.class).hasMessageContaining("file.jpg");
    }
  }

  @Test
  void should_refuse_calls_after_close() throws Exception {
    OnnxEmbeddingModel model = OnnxEmbeddingModel.open(mini());
    OnnxEncoder<VisionInput> vision = VisionEncoder.of(model);
    model.close();
    vision.close(); // idempotent
    assertThatThrownBy(() -> vision.embed(VisionInput.file(BMP))).isInstanceOf(IllegalStateException.class);
  }
}
