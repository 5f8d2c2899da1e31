import { decodeImage, imageInfo } from "../../image/index";
import { countedInfo } from "../../image/info";
import { isRawImageStream } from "../../image/stream";
import { stringifyJson } from "../../json/from-image/stringify";
import { flag, QUIET, QUIET_HELP, type Command } from "../command";
import { openInput } from "../input";
import { writeOutput } from "../output";
import { aboutInput, codecName, openImageInput, readsWhole } from "../read-image";

export const info: Command = {
  name: "info",
  help: `usage: crit info [-h] [-q] IN

Print the image type and its number of entries as JSON.

options:
${QUIET_HELP}`,
  options: { ...QUIET },
  positionals: { min: 1, max: 1 },
  run: async (values, [path]) => {
    const input = await openInput(path, { quiet: flag(values, "quiet") });
    const found = await aboutInput(input, async () => {
      if (readsWhole(input)) return imageInfo(decodeImage(await input.readAll(), { fileName: codecName(input) }));
      // Counted over a stream: one entry in memory at a time.
      const stream = await openImageInput(input);
      if (isRawImageStream(stream)) {
        await stream.close();
        return { magic: stream.magic, count: 0 };
      }
      let count = 0;
      for await (const _ of stream.entries) count++;
      return countedInfo(stream.magic, count);
    });
    await writeOutput(undefined, `${stringifyJson({ magic: found.magic, count: found.count }, true)}\n`);
  },
};
