// The values that travel as device variables.
export type VariableValue = string | number | boolean;
export type VariableMap = Record<string, VariableValue>;
