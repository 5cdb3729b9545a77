namespace Eeg.Acquisition.Sources.Ads1299;

/// <summary>Host GPIO numbers of the chips' control lines; -1 where a line is not wired.</summary>
/// <param name="DataReady">DRDY of the first chip (active low). Required.</param>
/// <param name="Start">START of all chips; -1: the START command is used.</param>
/// <param name="Reset">RESET of all chips (active low); -1: the RESET command is used.</param>
/// <param name="PowerDown">PWDN of all chips (active low); -1: tied high on the board.</param>
public readonly record struct Ads1299Pins(int DataReady, int Start = -1, int Reset = -1, int PowerDown = -1);
