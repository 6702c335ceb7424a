/**
 * Every query and command is asynchronous: a test that compares a Promise (a query it forgot
 * to await) with a value, or two Promises with each other, would pass or fail for the wrong
 * reason. toEqual, toStrictEqual and toMatchObject refuse a Promise on either side.
 */
import { expect } from "vitest";

expect.addEqualityTesters([
  function refusePromises(a: unknown, b: unknown) {
    if (a instanceof Promise || b instanceof Promise) {
      throw new Error("A Promise was compared with toEqual/toMatchObject: await the query or command first.");
    }
    return undefined;
  },
]);
