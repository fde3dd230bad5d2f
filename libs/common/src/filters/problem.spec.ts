import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { MesError } from '../errors/mes-error';
import { MesErrorCode } from '../errors/error-codes';
import { toProblem } from './problem';

describe('toProblem', () => {
  it('maps a MesError through the code table, with its headers and extensions', () => {
    const error = new MesError(MesErrorCode.TokenMissing, 'An access token is required.', {
      headers: { 'WWW-Authenticate': 'Bearer realm="mes-web-api"' },
    });
    const p = toProblem(error, '/mesmw/api/v3/entity');
    expect(p.status).toBe(401);
    expect(p.headers).toEqual({ 'WWW-Authenticate': 'Bearer realm="mes-web-api"' });
    expect(p.body).toEqual({
      type: 'urn:mes-web-api:problem:token_missing',
      title: 'Authentication required',
      status: 401,
      detail: 'An access token is required.',
      code: 'TOKEN_MISSING',
      instance: '/mesmw/api/v3/entity',
    });
    expect(p.unexpected).toBe(false);
  });

  it('uses the MES wording for missing and forbidden objects', () => {
    expect(toProblem(MesError.entityNotFound()).body).toMatchObject({
      status: 404,
      detail: 'The specified entity does not exist',
    });
    expect(toProblem(MesError.entityAccessDenied()).body).toMatchObject({
      status: 404,
      detail: 'You do not have the appropriate privileges to access this entity',
    });
  });

  it('lists validation messages', () => {
    const p = toProblem(
      new BadRequestException(['entId must be an integer', 'maxRows must not be less than 1']),
    );
    expect(p.body).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      errors: ['entId must be an integer', 'maxRows must not be less than 1'],
    });
  });

  it('reports a body that is not JSON as a malformed body', () => {
    const p = toProblem(
      new HttpException(
        "Body is not valid JSON but content-type is set to 'application/json'",
        400,
      ),
    );
    expect(p.body.code).toBe('MALFORMED_BODY');
  });

  it('maps an oversized body to 413', () => {
    expect(toProblem(new HttpException('Request body is too large', 413)).body.code).toBe(
      'PAYLOAD_TOO_LARGE',
    );
  });

  it('does not echo the requested URL for an unknown route', () => {
    const p = toProblem(new NotFoundException('Cannot GET /mesmw/x?token=abc'));
    expect(p.body.detail).toBe('Unknown endpoint.');
  });

  it('hides unexpected errors behind a generic body and flags them for the log', () => {
    const p = toProblem(new Error('SQLITE_ERROR: no such column: secret_column'));
    expect(p.status).toBe(500);
    expect(p.unexpected).toBe(true);
    expect(JSON.stringify(p.body)).not.toContain('secret_column');
  });
});
