package dev.qastream.sink.export;

import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A Parquet file of dataset rows, written on the local file system without a Hadoop file system.
 * Row groups are kept small so that a writer buffers a few MB, not the default 128 MB, which keeps an
 * export's memory flat even with three split files open.
 */
final class ParquetFile implements AutoCloseable {
    private static final int ROW_GROUP_BYTES = 8 * 1024 * 1024;

    private final Path path;
    private final ParquetWriter<GenericRecord> writer;
    private long rows;

    ParquetFile(Path path) {
        this.path = path;
        PlainParquetConfiguration conf = new PlainParquetConfiguration();
        // Standard 3-level lists, as pyarrow, DuckDB and Spark write them.
        conf.setBoolean(AvroWriteSupport.WRITE_OLD_LIST_STRUCTURE, false);
        try {
            this.writer = AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(path))
                    .withConf(conf)
                    .withSchema(Rows.ROW)
                    .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                    .withCompressionCodec(CompressionCodecName.SNAPPY)
                    .withRowGroupSize((long) ROW_GROUP_BYTES)
                    .withPageSize(1024 * 1024)
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    void write(GenericRecord row) {
        try {
            writer.write(row);
            rows++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    long rows() {
        return rows;
    }

    @Override
    public void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish " + path + ": " + e.getMessage(), e);
        }
    }
}
