import { useId } from 'react';
import { TextArea } from '../../ui/field.js';
import type { PlaygroundInput } from './playground-state.js';

/** The images to edit: uploaded files, or URLs the server fetches. */
export function EditInputs({
  input,
  onChange,
}: {
  input: PlaygroundInput;
  onChange: (patch: Partial<PlaygroundInput>) => void;
}) {
  const fileId = useId();
  return (
    <fieldset className="grid gap-4 rounded-md border border-slate-200 p-4 md:grid-cols-2">
      <legend className="px-1 text-sm font-medium text-slate-800">Images to edit</legend>
      <div>
        <label htmlFor={fileId} className="block text-sm font-medium text-slate-800">
          Upload images
        </label>
        <input
          id={fileId}
          type="file"
          accept="image/png,image/jpeg,image/webp"
          multiple
          onChange={(e) => onChange({ files: [...(e.target.files ?? [])] })}
          className="mt-1 block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-2 file:text-sm file:font-medium"
        />
      </div>
      <TextArea
        label="Or image URLs, one a line"
        hint={input.files.length > 0 ? 'Uploads are used; clear them to use URLs.' : undefined}
        value={input.imageUrls}
        onChange={(e) => onChange({ imageUrls: e.target.value })}
      />
    </fieldset>
  );
}
