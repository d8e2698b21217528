package dev.bindspace.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bindspace embed}. */
@Command(name = "embed", description = "Embed texts and files; JSON lines on stdout or a .npy matrix.")
final class EmbedCommand extends BaseCommand implements Callable<Integer> {
  enum Format { JSONL, NPY }

  @Option(names = "--model", paramLabel = "DIR|ZIP", description = "Model bundle (default: bindspace-mini).")
  Path model;

  @Option(names = "--modality", paramLabel = "KIND", defaultValue = "auto",
      description = "auto|text|image|audio|video|depth|thermal|imu (default: auto, from the file).")
  KindOption modality;

  @Option(names = "--format", defaultValue = "jsonl", description = "jsonl|npy (default: jsonl).")
  Format format;

  @Option(names = "--text", paramLabel = "TEXT", description = "A text to embed (repeatable).")
  List<String> texts = new ArrayList<>();

  @Option(names = "--out", paramLabel = "FILE", description = "Write here instead of stdout (required for npy).")
  Path outFile;

  @Option(names = "--moments", description = "Embed long audio/video as moments (windows with start/end seconds).")
  boolean moments;

  @Parameters(paramLabel = "INPUT", arity = "0..*", description = "Files to embed.")
  List<Path> inputs = new ArrayList<>();

  private record Row(String input, EmbeddedItem item) {
  }

  @Override
  public Integer call() {
    if (texts.isEmpty() && inputs.isEmpty()) {
      throw usage("nothing to embed: give --text TEXT or INPUT files");
    }
    if (format == Format.NPY && outFile == null) {
      throw usage("--format npy needs --out FILE (a binary matrix is not written to the terminal)");
    }
    List<Row> rows = new ArrayList<>();
    try (MediaEmbedder e = openModel(Optional.ofNullable(model))) {
      if (!texts.isEmpty()) {
        List<EmbeddedItem> items = e.embedTexts(texts);
        for (int i = 0; i < texts.size(); i++) {
          rows.add(new Row(texts.get(i), items.get(i)));
        }
      }
      Granularity g = moments ? Granularity.MOMENTS : Granularity.WHOLE;
      for (Path file : inputs) {
        for (EmbeddedItem it : e.embed(file, kindOf(e, file, modality), g)) {
          rows.add(new Row(file.toString(), it));
        }
      }
      if (format == Format.NPY) {
        List<float[]> m = rows.stream().map(r -> r.item().joint().toArray()).toList();
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(outFile))) {
          Npy.writeFloat32(os, m, e.dimension());
        } catch (IOException x) {
          throw new InputException("cannot write " + outFile + ": " + x.getMessage(), x);
        }
        err().printf("wrote %d x %d float32 to %s%n", rows.size(), e.dimension(), outFile);
        return ExitCodes.OK;
      }
    }
    if (outFile == null) {
      for (Row r : rows) {
        out().println(Json.line(json(r)));
      }
      out().flush();
      return ExitCodes.OK;
    }
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(outFile, StandardCharsets.UTF_8))) {
      for (Row r : rows) {
        w.println(Json.line(json(r)));
      }
      if (w.checkError()) {
        throw new IOException("write failed");
      }
    } catch (IOException x) {
      throw new InputException("cannot write " + outFile + ": " + x.getMessage(), x);
    }
    return ExitCodes.OK;
  }

  private static ObjectNode json(Row r) {
    EmbeddedItem it = r.item();
    ObjectNode o = Json.object();
    o.put("input", r.input());
    o.put("modality", lower(it.media()));
    o.put("dimension", it.joint().dimension());
    if (it.isMoment()) {
      o.put("start", it.start().getAsDouble());
      o.put("end", it.end().getAsDouble());
    }
    o.set("embedding", Json.vector(it.joint()));
    it.raw().filter(raw -> !Arrays.equals(raw.toArray(), it.joint().toArray()))
        .ifPresent(raw -> o.set("raw", Json.vector(raw)));
    return o;
  }
}
