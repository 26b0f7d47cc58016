/** A table: column names and rows of cells (numbers or strings), oldest first. */
export interface Table {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
}
