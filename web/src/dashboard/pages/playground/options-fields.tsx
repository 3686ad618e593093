import type { Model } from '../../api/types.js';
import { SelectField, TextField } from '../../ui/field.js';
import type { PlaygroundInput } from './playground-state.js';

const list = (values: string[]) => values.map((v) => ({ value: v, label: v }));

/** Size, quality, count and format, offered as the chosen model supports them. */
export function OptionsFields({
  model,
  input,
  onChange,
}: {
  model: Model;
  input: PlaygroundInput;
  onChange: (patch: Partial<PlaygroundInput>) => void;
}) {
  return (
    <div className="grid grid-cols-2 gap-4 md:grid-cols-4">
      <SelectField
        label="Size"
        value={input.size}
        onChange={(e) => onChange({ size: e.target.value })}
        options={list(model.sizes)}
      />
      <SelectField
        label="Quality"
        value={input.quality}
        onChange={(e) => onChange({ quality: e.target.value })}
        options={list(
          model.qualities.includes('auto') ? model.qualities : ['auto', ...model.qualities],
        )}
      />
      <TextField
        label="Images (n)"
        type="number"
        min={1}
        max={model.max_n}
        value={input.n}
        onChange={(e) =>
          onChange({ n: Math.max(1, Math.min(model.max_n, Number(e.target.value) || 1)) })
        }
      />
      <SelectField
        label="Format"
        value={input.outputFormat}
        onChange={(e) => onChange({ outputFormat: e.target.value })}
        options={list(model.output_formats.length ? model.output_formats : ['png'])}
      />
    </div>
  );
}
