import { ArgumentsHost, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { MesError } from '../errors/mes-error';
import { MesErrorCode } from '../errors/error-codes';
import { ProblemDetailsFilter } from './problem-details.filter';

interface Sent {
  body?: Record<string, unknown> | string;
  status?: number;
  headers: Record<string, string>;
}

function run(
  exception: unknown,
  request: Record<string, unknown>,
  adapterType: 'fastify' | 'express' = 'fastify',
): Sent {
  const sent: Sent = { headers: {} };
  const adapter = {
    getType: () => adapterType,
    setHeader: (_res: unknown, name: string, value: string) => (sent.headers[name] = value),
    reply: (_res: unknown, body: Record<string, unknown> | string, status: number) => {
      sent.body = body;
      sent.status = status;
    },
  };
  const host = {
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => ({}) }),
  } as unknown as ArgumentsHost;
  new ProblemDetailsFilter({ httpAdapter: adapter } as unknown as HttpAdapterHost).catch(
    exception,
    host,
  );
  return sent;
}

describe('ProblemDetailsFilter', () => {
  it('hands express the serialised body, so its adapter keeps application/problem+json', () => {
    const error = new MesError(MesErrorCode.PrivilegeMissing, 'No privilege.');
    const fastify = run(error, { url: '/x' });
    const express = run(error, { url: '/x' }, 'express');
    expect(express.headers).toEqual(fastify.headers);
    expect(express.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(express.status).toBe(403);
    expect(typeof express.body).toBe('string');
    expect(JSON.parse(express.body as string)).toEqual(fastify.body);
  });

  it('puts the request id in the problem body', () => {
    const sent = run(new MesError(MesErrorCode.TokenMissing, 'An access token is required.'), {
      url: '/mesmw/api/v3/entity?x=1',
      method: 'GET',
      id: 'c1bec0bd-ce03-4b2c-89e2-8573f11c6d5a',
    });
    expect(sent.status).toBe(401);
    expect(sent.body).toMatchObject({
      code: 'TOKEN_MISSING',
      instance: '/mesmw/api/v3/entity',
      request_id: 'c1bec0bd-ce03-4b2c-89e2-8573f11c6d5a',
    });
  });

  it('leaves it out when the request has no id (another adapter)', () => {
    const sent = run(new MesError(MesErrorCode.EntityNotFound, 'gone'), { url: '/x' });
    expect(sent.body).not.toHaveProperty('request_id');
  });

  it('names the request id in the log line of an unexpected error, never in place of the generic body', () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      const sent = run(new Error('boom'), { url: '/mesmw/api/v3/item', method: 'PUT', id: 'r-7' });
      expect(sent.body).toMatchObject({
        status: 500,
        detail: 'An internal error occurred.',
        request_id: 'r-7',
      });
      expect(error).toHaveBeenCalledWith(
        expect.stringContaining('PUT /mesmw/api/v3/item (request r-7) failed: Error: boom'),
      );
    } finally {
      error.mockRestore();
    }
  });
});
