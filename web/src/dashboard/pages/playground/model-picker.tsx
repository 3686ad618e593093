import type { Model } from '../../api/types.js';
import { SelectField } from '../../ui/field.js';
import { creditsLabel } from '../../ui/format.js';

export function ModelPicker({
  models,
  value,
  onChange,
}: {
  models: Model[];
  value: string;
  onChange: (id: string) => void;
}) {
  const options = models.map((m) => ({
    value: m.id,
    label: `${m.name} · from ${creditsLabel(m.pricing.from_credits)}${m.available ? '' : ' (unavailable)'}`,
  }));
  const selected = models.find((m) => m.id === value);
  return (
    <SelectField
      label="Model"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      options={options}
      hint={
        selected && (
          <>
            {selected.description}{' '}
            <a href={`/models/${selected.id}`} className="text-indigo-700 underline">
              Model page
            </a>
          </>
        )
      }
    />
  );
}
