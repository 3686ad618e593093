import * as Tabs from '@radix-ui/react-tabs';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { images } from '../../api/endpoints.js';
import { useCan } from '../../shell/session.js';
import { Button } from '../../ui/button.js';
import { Card } from '../../ui/card.js';
import { TextArea } from '../../ui/field.js';
import { EmptyState, ErrorNotice, Loading } from '../../ui/notice.js';
import { PageHeader } from '../../ui/page-header.js';
import { CodeSample } from './code-sample.js';
import { CostEstimate } from './cost-estimate.js';
import { EditInputs } from './edit-inputs.js';
import { ModelPicker } from './model-picker.js';
import { OptionsFields } from './options-fields.js';
import {
  INITIAL,
  modelsFor,
  requestBody,
  urlsOf,
  type Mode,
  type PlaygroundInput,
} from './playground-state.js';
import { Results } from './results.js';
import { runRequest, type RunImage } from './run-request.js';
import { useDebounced } from './use-debounced.js';

const TAB =
  'rounded-t-md px-4 py-2 text-sm font-medium text-slate-700 focus-visible:outline-2 focus-visible:outline-indigo-600 data-[state=active]:border-b-2 data-[state=active]:border-indigo-600 data-[state=active]:text-indigo-800';

export function PlaygroundPage() {
  const canGenerate = useCan('developer');
  const client = useQueryClient();
  const catalog = useQuery({ queryKey: ['models'], queryFn: images.models, staleTime: 300_000 });
  const [input, setInput] = useState<PlaygroundInput>(INITIAL);
  const [shown, setShown] = useState<RunImage[]>([]);
  const change = (patch: Partial<PlaygroundInput>) =>
    setInput((current) => ({ ...current, ...patch }));

  const models = useMemo(
    () => modelsFor(catalog.data?.data ?? [], input.mode),
    [catalog.data, input.mode],
  );
  const model = models.find((m) => m.id === input.model) ?? models[0];
  const effective = { ...input, model: model?.id ?? '' };
  const body = requestBody(effective, model);
  const hasInputs = input.mode === 'generate' || input.files.length > 0 || urlsOf(input).length > 0;
  // The estimate never fetches input images: file names only mark the body as an edit.
  const asked = input.files.length > 0 ? { ...body, image: input.files.map((f) => f.name) } : body;
  const typed = useDebounced(asked);
  // Only typing waits: a body for another model (the catalog arriving, a pick) is asked at
  // once, rather than showing the previous model's estimate, or a refusal of none, meanwhile.
  const estimateBody = typed.model === asked.model ? typed : asked;

  const run = useMutation({
    mutationFn: () => {
      setShown([]);
      return runRequest(
        {
          mode: input.mode,
          body,
          files: input.files,
          format: input.outputFormat,
          stream: Boolean(model?.stream) && input.files.length === 0,
        },
        {
          onPartial: (image) =>
            setShown((current) => [...current.filter((shown) => !shown.partial), image]),
          onImage: (image) =>
            setShown((current) => [...current.filter((shown) => !shown.partial), image]),
        },
      );
    },
    onSuccess: (final) => setShown(final),
    // A run charges the account and adds to its usage: the balance, the estimate's available
    // credits, the overview and the usage log show it at once rather than when they go stale.
    onSettled: () =>
      Promise.all(
        [['account'], ['estimate'], ['usage']].map((queryKey) =>
          client.invalidateQueries({ queryKey }),
        ),
      ),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    run.mutate();
  };

  if (catalog.isPending) return <Loading />;
  if (catalog.error)
    return <ErrorNotice error={catalog.error} title="The models could not load." />;

  const workspace = !model ? (
    <EmptyState title="No model in the catalog can do this." />
  ) : (
    <div className="grid gap-6 xl:grid-cols-2">
      <Card title="Request">
        <form onSubmit={onSubmit} className="space-y-4">
          <ModelPicker models={models} value={model.id} onChange={(id) => change({ model: id })} />
          <TextArea
            label="Prompt"
            required
            value={input.prompt}
            onChange={(e) => change({ prompt: e.target.value })}
            placeholder="A lighthouse at dawn, soft light"
          />
          {input.mode === 'edit' && <EditInputs input={input} onChange={change} />}
          <OptionsFields model={model} input={input} onChange={change} />
          {input.prompt.trim() && hasInputs ? (
            <CostEstimate body={estimateBody} />
          ) : (
            <p className="text-sm text-slate-600">
              Write a prompt{input.mode === 'edit' ? ' and add an image' : ''} to see the cost.
            </p>
          )}
          {run.error && <ErrorNotice error={run.error} title="The request failed." />}
          <Button
            type="submit"
            busy={run.isPending}
            disabled={!canGenerate || !input.prompt.trim() || !hasInputs}
          >
            {run.isPending ? 'Generating…' : input.mode === 'edit' ? 'Edit image' : 'Generate'}
          </Button>
        </form>
      </Card>
      <div className="space-y-6">
        <Card title="Results">
          {shown.length === 0 ? (
            <p className="text-sm text-slate-600">
              {run.isPending ? 'Waiting for the first image…' : 'Images you generate appear here.'}
            </p>
          ) : (
            <Results images={shown} format={input.outputFormat} />
          )}
        </Card>
        <Card title="Code">
          <CodeSample body={body} files={input.files} edit={input.mode === 'edit'} />
        </Card>
      </div>
    </div>
  );

  return (
    <>
      <PageHeader
        title="Playground"
        description="Try a model with your account's credits. Only delivered images are charged."
      />
      {!canGenerate && (
        <div className="mb-4">
          <EmptyState title="Viewers cannot generate images.">
            Ask an owner of this account for the developer role.
          </EmptyState>
        </div>
      )}
      <Tabs.Root
        value={input.mode}
        onValueChange={(mode) => {
          change({ mode: mode as Mode, model: '' });
          setShown([]);
          run.reset();
        }}
      >
        <Tabs.List aria-label="Mode" className="mb-4 flex gap-1 border-b border-slate-200">
          <Tabs.Trigger value="generate" className={TAB}>
            Generate
          </Tabs.Trigger>
          <Tabs.Trigger value="edit" className={TAB}>
            Edit
          </Tabs.Trigger>
        </Tabs.List>
        {(['generate', 'edit'] as const).map((mode) => (
          // Radix mounts only the active panel.
          <Tabs.Content key={mode} value={mode}>
            {workspace}
          </Tabs.Content>
        ))}
      </Tabs.Root>
    </>
  );
}
