package io.portico.api;

/**
 * A number of bytes, written in configuration as {@code 512KB}, {@code 10MB} or {@code 1GB}
 * (powers of 1024) or as a plain number of bytes.
 *
 * @param bytes the size in bytes, not negative
 */
public record DataSize(long bytes) {

    /** Validates the size. */
    public DataSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("a size cannot be negative: " + bytes);
        }
    }

    /** A size in bytes. */
    public static DataSize ofBytes(long bytes) {
        return new DataSize(bytes);
    }

    /** A size in kibibytes. */
    public static DataSize ofKilobytes(long kilobytes) {
        return new DataSize(Math.multiplyExact(kilobytes, 1024L));
    }

    /** A size in mebibytes. */
    public static DataSize ofMegabytes(long megabytes) {
        return new DataSize(Math.multiplyExact(megabytes, 1024L * 1024));
    }

    @Override
    public String toString() {
        if (bytes >= 1024L * 1024 && bytes % (1024L * 1024) == 0) {
            return bytes / (1024L * 1024) + "MB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return bytes / 1024 + "KB";
        }
        return bytes + "B";
    }
}
