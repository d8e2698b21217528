package dev.bindspace.mini.tools;

import dev.bindspace.Modality;
import dev.bindspace.audio.AudioEncoder;
import dev.bindspace.audio.AudioInput;
import dev.bindspace.onnx.OnnxEmbeddingModel;
import dev.bindspace.onnx.OnnxRuntimeOptions;
import dev.bindspace.vision.ImageDecoder;
import dev.bindspace.vision.ImagePreprocessor;
import dev.bindspace.vision.VisionEncoder;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes the preprocessed graph inputs of media files, exactly as the bundle's encoders preprocess them (the
 * encoder's own {@code preprocessor()}: image decoding, resize, crop, normalisation; audio resampling, log-mel
 * clips), into a NumPy {@code .npy} file, one row per graph input: one row per image, {@code clips_per_file} rows
 * per audio file. These are the calibration inputs of tools/imagebind-export/calibrate_int8.py.
 *
 * <p>Run: {@code ./mvnw -q -o -pl model-mini exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.bindspace.mini.tools.PreprocessMedia -Dexec.args="BUNDLE_DIR image|audio FILES.txt OUT.npy"}
 * where FILES.txt lists one media file per line (relative paths resolve against the list's folder). Output:
 * float32 {@code [rows, ...graph item shape]}, C order.
 */
public final class PreprocessMedia {
  private PreprocessMedia() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 4 || !(args[1].equals("image") || args[1].equals("audio"))) {
      System.err.println("usage: PreprocessMedia BUNDLE_DIR image|audio FILES.txt OUT.npy");
      System.exit(2);
    }
    Path list = Path.of(args[2]);
    List<Path> files = new ArrayList<>();
    for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        files.add(list.toAbsolutePath().getParent().resolve(line.strip()));
      }
    }
    OnnxRuntimeOptions opts = OnnxRuntimeOptions.builder()
        .graphLoading(OnnxRuntimeOptions.GraphLoading.ON_FIRST_USE).build();
    long t0 = System.nanoTime();
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(Path.of(args[0]), opts)) {
      long[] item;
      float[] all;
      int rows;
      if (args[1].equals("image")) {
        ImagePreprocessor pre = ((VisionEncoder) model.encoder(Modality.VISION)).preprocessor();
        item = pre.shape();
        int size = size(item, 0);
        rows = files.size();
        all = new float[Math.multiplyExact(rows, size)];
        for (int i = 0; i < rows; i++) {
          System.arraycopy(pre.tensor(ImageDecoder.defaults().decode(files.get(i))), 0, all, i * size, size);
        }
      } else {
        var pre = ((AudioEncoder) model.encoder(Modality.AUDIO)).preprocessor();
        long[] shape = pre.shape(); // [clips, 1, mel, frames]
        item = java.util.Arrays.copyOfRange(shape, 1, shape.length);
        int perFile = size(shape, 0);
        rows = Math.multiplyExact(files.size(), (int) shape[0]);
        all = new float[Math.multiplyExact(files.size(), perFile)];
        for (int i = 0; i < files.size(); i++) {
          System.arraycopy(pre.preprocess(AudioInput.file(files.get(i))), 0, all, i * perFile, perFile);
        }
      }
      long[] shape = new long[item.length + 1];
      shape[0] = rows;
      System.arraycopy(item, 0, shape, 1, item.length);
      writeNpy(Path.of(args[3]), shape, all);
      System.err.printf(Locale.ROOT, "PreprocessMedia: %d %s files -> %s %s in %.1f s%n", files.size(), args[1],
          args[3], java.util.Arrays.toString(shape), (System.nanoTime() - t0) / 1e9);
    }
  }

  private static int size(long[] shape, int from) {
    long n = 1;
    for (int i = from; i < shape.length; i++) {
      n *= shape[i];
    }
    return Math.toIntExact(n);
  }

  /** NumPy .npy 1.0, little-endian float32, C order (the layout is in onnx's test tool {@code Npy}). */
  static void writeNpy(Path file, long[] shape, float[] values) throws IOException {
    StringBuilder dims = new StringBuilder();
    for (long d : shape) {
      dims.append(d).append(',');
    }
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
    int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    data.asFloatBuffer().put(values);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(),
          (byte) (header.length() >>> 8)});
      out.write(header.getBytes(StandardCharsets.US_ASCII));
      out.write(data.array());
    }
  }
}
