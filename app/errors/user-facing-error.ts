// An error meant for the person at the window or the terminal: its message is shown as
// is (it names what is wrong and what to do) and `field` is the form field or setting at
// fault ('' when no single one is). Any other error is shown as "something went wrong"
// and its message goes to the log only.
export class UserFacingError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = 'UserFacingError';
    this.field = field;
  }
}
