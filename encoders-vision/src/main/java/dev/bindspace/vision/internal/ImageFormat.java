package dev.bindspace.vision.internal;

/**
 * Still-image container formats, recognised by their first bytes (magic numbers), never by the file
 * name: a PNG named {@code .jpg} decodes as PNG; garbage named {@code .png} is {@link #UNKNOWN}.
 */
public enum ImageFormat {
  /** {@code FF D8 FF}. */
  JPEG("jpeg"),
  /** {@code 89 'P' 'N' 'G' 0D 0A 1A 0A}. */
  PNG("png"),
  /** {@code "GIF87a"} or {@code "GIF89a"}. */
  GIF("gif"),
  /** {@code "BM"}. */
  BMP("bmp"),
  /** {@code "II" 2A 00} or {@code "MM" 00 2A}. */
  TIFF("tiff"),
  /** {@code "RIFF" <size> "WEBP"}. */
  WEBP("webp"),
  /** None of the above. */
  UNKNOWN("?");

  private final String imageIoName;

  ImageFormat(String imageIoName) {
    this.imageIoName = imageIoName;
  }

  /** The ImageIO format name. */
  public String imageIoName() {
    return imageIoName;
  }

  /** The format of {@code data} by its magic number. */
  public static ImageFormat sniff(byte[] d) {
    if (d.length >= 3 && (d[0] & 0xff) == 0xFF && (d[1] & 0xff) == 0xD8 && (d[2] & 0xff) == 0xFF) {
      return JPEG;
    }
    if (d.length >= 8 && (d[0] & 0xff) == 0x89 && d[1] == 'P' && d[2] == 'N' && d[3] == 'G' && d[4] == 0x0D
        && d[5] == 0x0A && d[6] == 0x1A && d[7] == 0x0A) {
      return PNG;
    }
    if (d.length >= 6 && d[0] == 'G' && d[1] == 'I' && d[2] == 'F' && d[3] == '8' && (d[4] == '7' || d[4] == '9')
        && d[5] == 'a') {
      return GIF;
    }
    if (d.length >= 2 && d[0] == 'B' && d[1] == 'M') {
      return BMP;
    }
    if (d.length >= 4 && ((d[0] == 'I' && d[1] == 'I' && d[2] == 0x2A && d[3] == 0)
        || (d[0] == 'M' && d[1] == 'M' && d[2] == 0 && d[3] == 0x2A))) {
      return TIFF;
    }
    if (d.length >= 12 && d[0] == 'R' && d[1] == 'I' && d[2] == 'F' && d[3] == 'F' && d[8] == 'W' && d[9] == 'E'
        && d[10] == 'B' && d[11] == 'P') {
      return WEBP;
    }
    return UNKNOWN;
  }
}
