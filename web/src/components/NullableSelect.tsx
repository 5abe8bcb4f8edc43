import { Select, type SelectProps } from '@mantine/core';

const NONE = '__none__';

type Props = Omit<SelectProps, 'data' | 'value' | 'onChange' | 'clearable'> & {
  data: { value: string; label: string }[];
  value: string | null;
  onChange: (value: string | null) => void;
  /** Label of the explicit "no value" option, listed first so it can be picked with mouse or keyboard. */
  noneLabel: string;
};

/** A Select whose empty choice is a real, reachable option rather than a hidden clear button. */
export function NullableSelect({ data, value, onChange, noneLabel, ...rest }: Props) {
  return (
    <Select
      {...rest}
      data={[{ value: NONE, label: noneLabel }, ...data]}
      value={value ?? NONE}
      onChange={(v) => onChange(v === NONE || v === null ? null : v)}
      allowDeselect={false}
    />
  );
}
