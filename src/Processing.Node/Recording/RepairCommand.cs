namespace Eeg.Processing.Recording;

/// <summary>
/// <c>repair &lt;file.bdf&gt;</c>: makes a file cut by a crash or power loss whole again: drops the
/// partial last record and writes the number of complete records into the header. Exit codes: 0
/// repaired or nothing to repair, 2 bad input.
/// </summary>
public static class RepairCommand
{
    public static int Run(string path, TextWriter output, TextWriter error)
    {
        if (!File.Exists(path))
        {
            error.WriteLine($"repair: no such file: {path}");
            return 2;
        }
        long records, trailing, headerCount, keep;
        try
        {
            using BdfReader reader = BdfReader.Open(path);
            records = reader.RecordsOnDisk;
            trailing = reader.TrailingBytes;
            headerCount = reader.HeaderRecordCount;
            keep = reader.Header.HeaderBytes + records * reader.RecordBytes;
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"repair: not a repairable BDF/EDF file: {e.Message.ReplaceLineEndings(" ")}");
            return 2;
        }
        if (trailing == 0 && headerCount == records)
        {
            output.WriteLine($"repair: {path} is whole ({records} records); nothing to do");
            return 0;
        }
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            if (trailing > 0) file.SetLength(keep);
            Span<byte> field = stackalloc byte[8];
            BdfHeader.WriteRecordCount(field, records);
            file.Position = BdfHeader.RecordCountOffset;
            file.Write(field);
            file.Flush(flushToDisk: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"repair: cannot write {path}: {e.Message.ReplaceLineEndings(" ")}");
            return 2;
        }
        output.WriteLine($"repair: {path}: {records} complete records (header said {headerCount}){(trailing > 0 ? $", removed {trailing} bytes of a partial record" : "")}");
        return 0;
    }
}
