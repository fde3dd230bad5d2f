import { Module } from '@nestjs/common';
import { MesPlantModule } from '@mes/mes-plant';
import { ShiftPatternController } from './shift-pattern.controller';
import { ShiftScheduleController } from './shift-schedule.controller';

/**
 * Shift schedules and patterns: served by the API, left out of the Swagger file because their
 * MES methods are on the published exclusion list (SPEC section 6).
 */
@Module({
  imports: [MesPlantModule],
  controllers: [ShiftScheduleController, ShiftPatternController],
})
export class ShiftsApiModule {}
